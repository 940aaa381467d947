# A full custom mapping with __getitem__/__setitem__/__delitem__/__contains__/__iter__/__len__/__eq__
class CaseInsensitiveDict:
    def __init__(self, *pairs, **kw):
        self._d = {}
        for k, v in pairs:
            self[k] = v
        for k, v in kw.items():
            self[k] = v
    def __setitem__(self, k, v):
        self._d[k.lower()] = (k, v)
    def __getitem__(self, k):
        return self._d[k.lower()][1]
    def __delitem__(self, k):
        del self._d[k.lower()]
    def __contains__(self, k):
        return isinstance(k, str) and k.lower() in self._d
    def __iter__(self):
        return (orig for orig, _ in self._d.values())
    def __len__(self):
        return len(self._d)
    def __eq__(self, other):
        return isinstance(other, CaseInsensitiveDict) and {k: v[1] for k, v in self._d.items()} == {k: v[1] for k, v in other._d.items()}
    def __repr__(self):
        return "CID(%s)" % ", ".join("%s=%r" % (k, self[k]) for k in self)
    def keys(self):
        return list(self)
    def get(self, k, default=None):
        return self[k] if k in self else default
h = CaseInsensitiveDict(("Content-Type", "text/html"), Host="example")
print(h, len(h))
print(h["content-type"], h["HOST"], "host" in h, "Accept" in h, 5 in h)
h["ACCEPT"] = "*/*"
h["accept"] = "application/json"
print(h, len(h), list(h))
del h["CONTENT-type"]
print(h, h.get("x", "none"), h.get("Host"))
try:
    h["missing"]
except KeyError as e:
    print("KeyError:", e)
print(dict(h), sorted(h), {**h})
other = CaseInsensitiveDict(host="example", accept="application/json")
print(h == other, h != other, h == {"host": "example"})
for k in h:
    print("iter", k, h[k])
class Matrix:
    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.data = [0] * (rows * cols)
    def __getitem__(self, rc):
        r, c = rc
        return self.data[r * self.cols + c]
    def __setitem__(self, rc, v):
        r, c = rc
        self.data[r * self.cols + c] = v
    def __contains__(self, v):
        return v in self.data
m = Matrix(2, 3)
m[1, 2] = 9
m[0, 0] = 4
m[1, 2] += 1
print(m.data, m[1, 2], 10 in m, 9 in m)
