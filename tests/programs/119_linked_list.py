# Singly linked list implementation with iteration, reversal, insertion, deletion
class Node:
    __slots__ = ("val", "next")
    def __init__(self, val, nxt=None):
        self.val = val
        self.next = nxt
class LinkedList:
    def __init__(self, items=()):
        self.head = None
        self.size = 0
        for it in reversed(list(items)):
            self.push_front(it)
    def push_front(self, v):
        self.head = Node(v, self.head)
        self.size += 1
    def append(self, v):
        node = Node(v)
        if self.head is None:
            self.head = node
        else:
            cur = self.head
            while cur.next:
                cur = cur.next
            cur.next = node
        self.size += 1
    def __iter__(self):
        cur = self.head
        while cur:
            yield cur.val
            cur = cur.next
    def __len__(self):
        return self.size
    def __repr__(self):
        return " -> ".join(map(str, self)) or "<empty>"
    def reverse(self):
        prev, cur = None, self.head
        while cur:
            cur.next, prev, cur = prev, cur, cur.next
        self.head = prev
    def remove(self, v):
        prev, cur = None, self.head
        while cur:
            if cur.val == v:
                if prev:
                    prev.next = cur.next
                else:
                    self.head = cur.next
                self.size -= 1
                return True
            prev, cur = cur, cur.next
        return False
    def middle(self):
        slow = fast = self.head
        while fast and fast.next:
            slow, fast = slow.next, fast.next.next
        return slow.val if slow else None
ll = LinkedList([1, 2, 3])
print(ll, len(ll))
ll.append(4)
ll.push_front(0)
print(ll, len(ll), ll.middle())
ll.reverse()
print(ll)
print(ll.remove(2), ll.remove(99), ll.remove(4), ll)
print(list(ll), sum(ll), 3 in ll, 7 in ll)
empty = LinkedList()
print(empty, len(empty), empty.middle())
empty.reverse()
empty.append("x")
print(empty)
big = LinkedList(range(1000))
big.reverse()
print(len(big), list(big)[:5], big.middle())
