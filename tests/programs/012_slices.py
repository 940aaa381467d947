# BUILD_SLICE and slicing reads on lists, tuples, strings, ranges
l = list(range(10))
print(l[2:5], l[:3], l[7:], l[:], l[::3], l[1::2])
print(l[-3:], l[:-3], l[-5:-2], l[::-1], l[::-2], l[8:2:-2])
print(l[5:2], l[100:], l[-100:3], l[3:100])
print(l[slice(1, 4)], l[slice(None, None, -3)])
t = tuple(range(8))
print(t[1:3], t[::-1], t[-2:], t[:0])
s = "abcdefghij"
print(s[2:6], s[::2], s[::-1], s[-4:-1], s[5:], s[:5])
print(s[1:-1:3], s[-1:-8:-2])
r = range(20)
print(r[2:10], list(r[2:10:3]), r[::-1][:3], list(r[::-1][:3]))
for start in (None, 0, 2, -3):
    for stop in (None, 5, -1):
        for step in (None, 1, 2, -1):
            print(start, stop, step, l[start:stop:step])
class S:
    def __getitem__(self, k):
        return (k.start, k.stop, k.step) if isinstance(k, slice) else k
s2 = S()
print(s2[1:2], s2[::5], s2[:], s2[1:2:3], s2[:, 1])
sl = slice(2, 8, 2)
print(sl.start, sl.stop, sl.step, sl.indices(5), sl.indices(100))
print(slice(None, -1).indices(10))
