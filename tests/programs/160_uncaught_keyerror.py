# Ends with an uncaught KeyError raised from a dict lookup inside a function
inventory = {"apple": 3, "banana": 5, "cherry": 0}
def total(items):
    t = 0
    for name in items:
        t += inventory[name]
        print("added", name, "running total", t)
    return t
print(total(["apple", "banana"]))
print(sorted(inventory.items()))
inventory["date"] = 7
print(total(["date", "cherry"]))
for k in sorted(inventory):
    print(k, inventory.get(k))
prices = {"apple": 0.5, "banana": 0.25, "date": 1.75}
order = {"apple": 4, "date": 2}
cost = sum(prices[k] * n for k, n in order.items())
print("order cost", cost, "items", sorted(order))
print("safe lookups", inventory.get("fig", 0), prices.get("fig"), "fig" in inventory)
print("about to look up a missing key")
print(total(["apple", "elderberry", "banana"]))
print("not reached")
