# Method-heavy classes: small objects, attribute access, method calls,
# properties, inheritance and super().
N = 130000


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def scale(self, k):
        return Vec(self.x * k, self.y * k)

    def dot(self, other):
        return self.x * other.x + self.y * other.y

    def __add__(self, other):
        return self.add(other)

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    @property
    def norm1(self):
        return abs(self.x) + abs(self.y)


class Shape:
    count = 0

    def __init__(self, name, pos):
        self.name = name
        self.pos = pos
        Shape.count += 1

    def area(self):
        return 0

    def describe(self):
        return "%s@%d,%d" % (self.name, self.pos.x, self.pos.y)

    def moved(self, d):
        self.pos = self.pos + d
        return self


class Rect(Shape):
    def __init__(self, pos, w, h):
        super().__init__("rect", pos)
        self._w = w
        self._h = h

    @property
    def width(self):
        return self._w

    @width.setter
    def width(self, v):
        self._w = v if v > 0 else 1

    def area(self):
        return self._w * self._h


class Square(Rect):
    def __init__(self, pos, side):
        super().__init__(pos, side, side)
        self.name = "square"

    def area(self):
        return super().area() + 1


class Circle(Shape):
    def __init__(self, pos, r):
        Shape.__init__(self, "circle", pos)
        self.r = r

    def area(self):
        return 3 * self.r * self.r


class Counter:
    def __init__(self):
        self.n = 0
        self.total = 0

    def bump(self, v):
        self.n += 1
        self.total += v
        return self

    def mean(self):
        return self.total // self.n if self.n else 0


def main(n):
    shapes = []
    seed = 7
    for i in range(n // 10):
        seed = (seed * 69069 + 1) % 4294967296
        p = Vec(seed % 100, (seed >> 8) % 100)
        k = i % 3
        if k == 0:
            shapes.append(Rect(p, 1 + seed % 9, 1 + (seed >> 4) % 9))
        elif k == 1:
            shapes.append(Square(p, 1 + seed % 7))
        else:
            shapes.append(Circle(p, 1 + seed % 5))
    c = Counter()
    d = Vec(1, -1)
    acc = Vec(0, 0)
    for step in range(n // len(shapes) * 3):
        for s in shapes:
            c.bump(s.area())
            s.moved(d)
            acc = acc + s.pos.scale(2)
            if isinstance(s, Rect):
                s.width = s.width - 1 if step % 2 else s.width + 1
    v = Vec(3, 4)
    dots = 0
    for i in range(n):
        w = Vec(i, -i)
        dots += v.dot(w) + w.norm1
        if w == v:
            dots += 1
    print("shapes %d count %d mean %d n %d" % (len(shapes), Shape.count, c.mean(), c.n))
    print("acc %d,%d dots %d first %s last %s" % (acc.x, acc.y, dots, shapes[0].describe(), shapes[-1].describe()))


main(N)
