# Stack and queue implementations; bracket matching; RPN evaluation
class Stack:
    def __init__(self):
        self._d = []
    def push(self, x):
        self._d.append(x)
    def pop(self):
        if not self._d:
            raise IndexError("pop from empty stack")
        return self._d.pop()
    def peek(self):
        return self._d[-1] if self._d else None
    def __len__(self):
        return len(self._d)
class Queue:
    def __init__(self):
        self._in, self._out = [], []
    def put(self, x):
        self._in.append(x)
    def get(self):
        if not self._out:
            while self._in:
                self._out.append(self._in.pop())
        return self._out.pop()
    def __len__(self):
        return len(self._in) + len(self._out)
def balanced(s):
    pairs = {")": "(", "]": "[", "}": "{"}
    st = Stack()
    for ch in s:
        if ch in "([{":
            st.push(ch)
        elif ch in pairs:
            if st.peek() != pairs[ch]:
                return False
            st.pop()
    return len(st) == 0
for s in ["()", "([]{})", "([)]", "((", "", "{[()()]}", "}"]:
    print(repr(s), balanced(s))
def rpn(expr):
    st = Stack()
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b,
           "*": lambda a, b: a * b, "/": lambda a, b: a / b}
    for tok in expr.split():
        if tok in ops:
            b, a = st.pop(), st.pop()
            st.push(ops[tok](a, b))
        else:
            st.push(float(tok) if "." in tok else int(tok))
    return st.pop()
for e in ["3 4 +", "5 1 2 + 4 * + 3 -", "2 3 4 * +", "10 4 /", "1.5 2 *"]:
    print(e, "=", rpn(e))
try:
    rpn("+")
except IndexError as e:
    print("IndexError:", e)
q = Queue()
for i in range(5):
    q.put(i)
print(q.get(), q.get(), len(q))
q.put(10)
q.put(11)
print([q.get() for _ in range(len(q))])
def hot_potato(names, n):
    q = Queue()
    for nm in names:
        q.put(nm)
    order = []
    while len(q) > 1:
        for _ in range(n):
            q.put(q.get())
        order.append(q.get())
    return order, q.get()
print(hot_potato(["A", "B", "C", "D", "E", "F"], 7))
