# Conway's Game of Life on a small torus grid
W, H = 12, 10
cells = set()
for x, y in [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)]:
    cells.add((x, y))
for x, y in [(8, 5), (8, 6), (8, 7)]:
    cells.add((x, y))
def step(live):
    counts = {}
    for (x, y) in live:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    k = ((x + dx) % W, (y + dy) % H)
                    counts[k] = counts.get(k, 0) + 1
    return {c for c, n in counts.items() if n == 3 or (n == 2 and c in live)}
def show(live):
    for y in range(H):
        print("".join("#" if (x, y) in live else "." for x in range(W)))
show(cells)
for gen in range(1, 25):
    cells = step(cells)
    if gen % 8 == 0:
        print("generation", gen, "population", len(cells))
        show(cells)
print(sorted(cells))
history = []
grid = {(3, 3), (4, 3), (3, 4), (4, 4)}
for _ in range(5):
    history.append(len(grid))
    grid = step(grid)
print("block stays", history, sorted(grid))
