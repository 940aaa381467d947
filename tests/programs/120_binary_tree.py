# Binary search tree: insert, traversals, height, delete, generator-based in-order
class BST:
    class _Node:
        def __init__(self, key):
            self.key = key
            self.left = self.right = None
    def __init__(self):
        self.root = None
    def insert(self, key):
        def _ins(n, key):
            if n is None:
                return BST._Node(key)
            if key < n.key:
                n.left = _ins(n.left, key)
            elif key > n.key:
                n.right = _ins(n.right, key)
            return n
        self.root = _ins(self.root, key)
    def inorder(self, n="start"):
        if n == "start":
            n = self.root
        if n:
            yield from self.inorder(n.left)
            yield n.key
            yield from self.inorder(n.right)
    def preorder(self):
        out, stack = [], [self.root] if self.root else []
        while stack:
            n = stack.pop()
            out.append(n.key)
            if n.right: stack.append(n.right)
            if n.left: stack.append(n.left)
        return out
    def levels(self):
        out, level = [], [self.root] if self.root else []
        while level:
            out.append([n.key for n in level])
            level = [c for n in level for c in (n.left, n.right) if c]
        return out
    def height(self, n="start"):
        if n == "start":
            n = self.root
        return 0 if n is None else 1 + max(self.height(n.left), self.height(n.right))
    def __contains__(self, key):
        n = self.root
        while n:
            if key == n.key:
                return True
            n = n.left if key < n.key else n.right
        return False
    def delete(self, key):
        def _del(n, key):
            if n is None:
                return None
            if key < n.key:
                n.left = _del(n.left, key)
            elif key > n.key:
                n.right = _del(n.right, key)
            else:
                if n.left is None:
                    return n.right
                if n.right is None:
                    return n.left
                succ = n.right
                while succ.left:
                    succ = succ.left
                n.key = succ.key
                n.right = _del(n.right, succ.key)
            return n
        self.root = _del(self.root, key)
t = BST()
for k in [50, 30, 70, 20, 40, 60, 80, 35, 45, 65]:
    t.insert(k)
print(list(t.inorder()), t.preorder(), t.levels(), t.height())
print(40 in t, 41 in t)
for k in [20, 30, 50, 99]:
    t.delete(k)
    print("deleted", k, list(t.inorder()), t.levels())
