# Graph algorithms: BFS shortest path, DFS, topological sort, connected components, Dijkstra
graph = {
    "A": ["B", "C"], "B": ["D", "E"], "C": ["F"], "D": [], "E": ["F"], "F": ["G"], "G": [],
    "X": ["Y"], "Y": [],
}
def bfs(start, goal):
    queue = [[start]]
    seen = {start}
    while queue:
        path = queue.pop(0)
        node = path[-1]
        if node == goal:
            return path
        for nb in graph[node]:
            if nb not in seen:
                seen.add(nb)
                queue.append(path + [nb])
    return None
print(bfs("A", "G"), bfs("A", "D"), bfs("A", "Y"))
def dfs(node, seen=None, order=None):
    if seen is None:
        seen, order = set(), []
    seen.add(node)
    order.append(node)
    for nb in graph[node]:
        if nb not in seen:
            dfs(nb, seen, order)
    return order
print(dfs("A"))
def topo():
    indeg = {n: 0 for n in graph}
    for n in graph:
        for m in graph[n]:
            indeg[m] += 1
    ready = sorted(n for n in graph if indeg[n] == 0)
    out = []
    while ready:
        n = ready.pop(0)
        out.append(n)
        for m in graph[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
                ready.sort()
    return out
print(topo())
undirected = {}
for n, nbs in graph.items():
    undirected.setdefault(n, set())
    for m in nbs:
        undirected[n].add(m)
        undirected.setdefault(m, set()).add(n)
comps, seen = [], set()
for n in sorted(undirected):
    if n in seen:
        continue
    stack, comp = [n], []
    while stack:
        cur = stack.pop()
        if cur in seen:
            continue
        seen.add(cur)
        comp.append(cur)
        stack.extend(sorted(undirected[cur] - seen))
    comps.append(sorted(comp))
print(comps)
