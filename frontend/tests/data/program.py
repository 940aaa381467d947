"""A small program: nested functions, closures, a class."""
import sys

BIG = 12345678901234567890
LIMITS = (1.5, -2j, b"\x00raw", "caf\xe9", None, ...)


def counter(start=0, *, step=1):
    count = start

    def bump(by=step):
        nonlocal count
        count += by
        return count

    return bump


def pos_only(a, b, /, c, *args, d, **kw):
    return [x * 2 for x in (a, b, c) if x in {1, 2, 3}]


class Point:
    """A point."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5


def gen(n):
    yield from range(n)


async def coro():
    return await other()


square = lambda v: v * v
print(counter()(), Point(3, 4).norm(), sum(gen(4)), square(BIG), LIMITS)
