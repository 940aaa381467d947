# Ends with an uncaught user-defined exception carrying a custom message
class InventoryError(Exception):
    pass
class OutOfStock(InventoryError):
    def __init__(self, item, wanted, have):
        super().__init__("cannot take %d x %s, only %d left" % (wanted, item, have))
        self.item = item
stock = {"widget": 5, "gadget": 2}
def take(item, n):
    have = stock.get(item, 0)
    if n > have:
        raise OutOfStock(item, n, have)
    stock[item] = have - n
    print("took", n, item, "remaining", stock[item])
take("widget", 2)
take("gadget", 1)
try:
    take("gadget", 5)
except InventoryError as e:
    print("handled:", e)
take("widget", 3)
print(stock)
take("widget", 1)
print("not reached")
