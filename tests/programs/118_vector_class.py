# A 2D/3D vector class with full operator set
class Vec:
    __slots__ = ("x", "y", "z")
    def __init__(self, x=0, y=0, z=0):
        self.x, self.y, self.z = x, y, z
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)
    def __mul__(self, k):
        if isinstance(k, Vec):
            return self.x * k.x + self.y * k.y + self.z * k.z
        return Vec(self.x * k, self.y * k, self.z * k)
    def __rmul__(self, k):
        return self * k
    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k, self.z / k)
    def __neg__(self):
        return Vec(-self.x, -self.y, -self.z)
    def __abs__(self):
        return (self * self) ** 0.5
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y, self.z) == (o.x, o.y, o.z)
    def __hash__(self):
        return hash((self.x, self.y, self.z))
    def __iter__(self):
        yield self.x
        yield self.y
        yield self.z
    def __getitem__(self, i):
        return (self.x, self.y, self.z)[i]
    def __len__(self):
        return 3
    def __bool__(self):
        return any(self)
    def __repr__(self):
        return "Vec(%g, %g, %g)" % (self.x, self.y, self.z)
    def cross(self, o):
        return Vec(self.y * o.z - self.z * o.y, self.z * o.x - self.x * o.z, self.x * o.y - self.y * o.x)
a = Vec(1, 2, 3)
b = Vec(4, 5, 6)
print(a + b, a - b, a * 2, 3 * a, a / 2, -a)
print(a * b, abs(Vec(3, 4)), a.cross(b), b.cross(a))
print(a == Vec(1, 2, 3), a != b, len({a, Vec(1, 2, 3), b}))
print(list(a), a[0], a[-1], len(a), tuple(b), bool(Vec()), bool(a))
x, y, z = b
print(x, y, z, sum(a), max(b))
pos = Vec()
vel = Vec(1, 0.5, -0.25)
for step in range(4):
    pos = pos + vel * 0.5
    print(step, pos)
print(sorted([b, a, Vec(0, 9, 9)], key=abs))
unit = a / abs(a)
print(round(abs(unit), 12), repr(unit))
print(sum([a, b, Vec(1, 1, 1)], Vec()))
