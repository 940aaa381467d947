# Sorting with key functions: records sorted by multiple keys, lambdas,
# stable sorts, sorted() of tuples/strings, plus a hand-written merge sort.
N = 55000


def lcg_records(n):
    seed = 42
    recs = []
    for i in range(n):
        seed = (seed * 6364136223846793005 + 1442695040888963407) % 18446744073709551616
        age = 18 + (seed >> 33) % 60
        score = ((seed >> 13) % 10000) / 100.0
        name = "n%05d" % ((seed >> 20) % 100000)
        recs.append({"id": i, "name": name, "age": age, "score": score})
    return recs


def merge_sort(xs, key):
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    a = merge_sort(xs[:mid], key)
    b = merge_sort(xs[mid:], key)
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if key(b[j]) < key(a[i]):
            out.append(b[j])
            j += 1
        else:
            out.append(a[i])
            i += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def checksum(recs):
    h = 0
    for r in recs:
        h = (h * 131 + r["id"]) % 1000000007
    return h


def main(n):
    recs = lcg_records(n)
    by_age = sorted(recs, key=lambda r: r["age"])
    by_age_score = sorted(recs, key=lambda r: (r["age"], -r["score"], r["name"]))
    by_name = sorted(recs, key=lambda r: r["name"], reverse=True)
    tuples = sorted((r["score"], r["id"]) for r in recs)
    names = sorted(set(r["name"] for r in recs), key=len)
    mine = merge_sort(recs, lambda r: r["score"])
    copy = list(recs)
    copy.sort(key=lambda r: r["id"] % 97)
    ok = all(mine[i]["score"] <= mine[i + 1]["score"] for i in range(len(mine) - 1))
    print("age %d agescore %d name %d copy %d" % (
        checksum(by_age), checksum(by_age_score), checksum(by_name), checksum(copy)))
    print("tuples %r names %d merge %d ok %s" % (tuples[n // 2], len(names), checksum(mine), ok))


main(N)
