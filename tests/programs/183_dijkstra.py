# Dijkstra shortest paths on a small weighted graph using plain dicts and sets
weighted = {"s": {"a": 7, "b": 2}, "a": {"c": 1}, "b": {"a": 3, "c": 8}, "c": {"t": 1}, "t": {}}
def dijkstra(src):
    dist = {n: float("inf") for n in weighted}
    prev = {}
    dist[src] = 0
    todo = set(weighted)
    while todo:
        u = min(sorted(todo), key=lambda n: dist[n])
        todo.remove(u)
        for v, w in weighted[u].items():
            if dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                prev[v] = u
    return dist, prev
dist, prev = dijkstra("s")
print(dist)
path, n = [], "t"
while n != "s":
    path.append(n)
    n = prev[n]
print(["s"] + path[::-1])
