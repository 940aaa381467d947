# Recursive-descent parser for a JSON-like format (no json module), closures over a position cell
def loads(s):
    pos = [0]
    def ws():
        while pos[0] < len(s) and s[pos[0]] in " \n\t":
            pos[0] += 1
    def value():
        ws()
        c = s[pos[0]]
        if c == "{":
            pos[0] += 1
            out = {}
            ws()
            if s[pos[0]] == "}":
                pos[0] += 1
                return out
            while True:
                k = value(); ws(); pos[0] += 1
                out[k] = value(); ws()
                if s[pos[0]] == ",":
                    pos[0] += 1
                else:
                    pos[0] += 1
                    return out
        if c == "[":
            pos[0] += 1
            out = []
            ws()
            if s[pos[0]] == "]":
                pos[0] += 1
                return out
            while True:
                out.append(value()); ws()
                if s[pos[0]] == ",":
                    pos[0] += 1
                else:
                    pos[0] += 1
                    return out
        if c == '"':
            pos[0] += 1
            buf = ""
            while s[pos[0]] != '"':
                if s[pos[0]] == "\\":
                    pos[0] += 1
                    buf += {"n": "\n"}.get(s[pos[0]], s[pos[0]])
                else:
                    buf += s[pos[0]]
                pos[0] += 1
            pos[0] += 1
            return buf
        for lit, val in (("null", None), ("true", True), ("false", False)):
            if s.startswith(lit, pos[0]):
                pos[0] += len(lit)
                return val
        start = pos[0]
        while pos[0] < len(s) and s[pos[0]] in "-+.eE0123456789":
            pos[0] += 1
        num = s[start:pos[0]]
        return float(num) if any(ch in num for ch in ".eE") else int(num)
    return value()
TEXT = """
{
  "name": "pyreg",
  "version": [0, 1, 2],
  "ok": true,
  "none": null,
  "pi": 3.14,
  "nested": {"list": [1, {"deep": "x\\"y\\n"}], "empty": {}, "e": []},
  "neg": -5e-07
}
"""
data = loads(TEXT)
print(data)
print(data["nested"]["list"][1]["deep"], data["version"][2], data["neg"] * 2)
expected = {"name": "pyreg", "version": [0, 1, 2], "ok": True, "none": None, "pi": 3.14,
            "nested": {"list": [1, {"deep": "x\"y\n"}], "empty": {}, "e": []}, "neg": -5e-7}
print(data == expected, list(data), type(data["pi"]).__name__, type(data["version"][0]).__name__)
for t in ["[]", "{}", "[1, [2, [3, []]]]", '"plain"', "-12", "1e3", "[true, false, null]", '{"a": {"b": {"c": 1}}}']:
    print(repr(t), "->", repr(loads(t)))
