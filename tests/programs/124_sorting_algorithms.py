# Hand-written sorting algorithms compared against sorted()
data = [38, 27, 43, 3, 9, 82, 10, 3, -5, 0, 17, 99, 1, 56, 27]
def bubble(a):
    a = list(a)
    n = len(a)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
                swapped = True
        if not swapped:
            break
    return a
def insertion(a):
    a = list(a)
    for i in range(1, len(a)):
        key = a[i]
        j = i - 1
        while j >= 0 and a[j] > key:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = key
    return a
def merge_sort(a):
    if len(a) <= 1:
        return list(a)
    mid = len(a) // 2
    l, r = merge_sort(a[:mid]), merge_sort(a[mid:])
    out, i, j = [], 0, 0
    while i < len(l) and j < len(r):
        if l[i] <= r[j]:
            out.append(l[i]); i += 1
        else:
            out.append(r[j]); j += 1
    return out + l[i:] + r[j:]
def quick(a):
    if len(a) <= 1:
        return list(a)
    p = a[len(a) // 2]
    return quick([x for x in a if x < p]) + [x for x in a if x == p] + quick([x for x in a if x > p])
def heap_sort(a):
    a = list(a)
    n = len(a)
    def sift(i, size):
        while True:
            l, r, big = 2 * i + 1, 2 * i + 2, i
            if l < size and a[l] > a[big]: big = l
            if r < size and a[r] > a[big]: big = r
            if big == i: return
            a[i], a[big] = a[big], a[i]
            i = big
    for i in range(n // 2 - 1, -1, -1):
        sift(i, n)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]
        sift(0, end)
    return a
def counting(a):
    lo, hi = min(a), max(a)
    c = [0] * (hi - lo + 1)
    for x in a:
        c[x - lo] += 1
    return [i + lo for i, n in enumerate(c) for _ in range(n)]
expected = sorted(data)
print(expected)
for fn in (bubble, insertion, merge_sort, quick, heap_sort, counting):
    r = fn(data)
    print(fn.__name__, r == expected, r[:5])
big = [(i * 7919) % 1009 for i in range(600)]
print(all(fn(big) == sorted(big) for fn in (merge_sort, quick, heap_sort, counting)))
print(merge_sort(["pear", "apple", "fig"]), quick([3.5, -1.0, 2.25]))
