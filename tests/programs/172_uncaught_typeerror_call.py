# Ends with a TypeError from calling a function with the wrong arguments
def area(width, height):
    return width * height
def describe(shape, *, unit="cm"):
    return "%s: %d %s^2" % (shape, area(*SHAPES[shape]), unit)
SHAPES = {"square": (3, 3), "rect": (2, 5)}
print(describe("square"), describe("rect", unit="m"))
try:
    area(1)
except TypeError as e:
    print("caught:", e)
try:
    describe("square", "mm")
except TypeError as e:
    print("caught:", e)
print(area(*(4, 5)), area(**{"width": 2, "height": 8}))
print(sorted(SHAPES), [area(*dims) for dims in SHAPES.values()])
SHAPES["line"] = (4,)
print(describe("line"))
print("not reached")
