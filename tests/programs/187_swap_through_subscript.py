# Tuple assignments whose targets mix locals and subscripts: the translator
# must not overwrite the value being stored while it spills the local
# (found by the translation validator in heapq.heappushpop).


def heappushpop(heap, item):
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
    return item


h = [1, 5, 7]
print(heappushpop(h, 3), h)


def rotate(a, b, c, box):
    a, box[0], b = b, a, c
    return a, b, c, box


print(rotate(1, 2, 3, [0]))


def swap_attr(o, x):
    x, o.v = o.v, x
    return x, o.v


class O:
    v = "old"


print(swap_attr(O(), "new"))


def swap_both(xs, i, j):
    xs[i], xs[j] = xs[j], xs[i]
    i, j = j, i
    return xs, i, j


print(swap_both([1, 2, 3], 0, 2))
