# Multiple inheritance, diamond, C3 MRO, cooperative super()
class A:
    def who(self):
        return ["A"]
    def __init__(self):
        print("init A")
class B(A):
    def who(self):
        return ["B"] + super().who()
    def __init__(self):
        print("init B")
        super().__init__()
class C(A):
    def who(self):
        return ["C"] + super().who()
    def __init__(self):
        print("init C")
        super().__init__()
class D(B, C):
    def who(self):
        return ["D"] + super().who()
    def __init__(self):
        print("init D")
        super().__init__()
d = D()
print(d.who())
print([k.__name__ for k in D.__mro__])
print([k.__name__ for k in D.mro()])
class E(C, B):
    pass
print([k.__name__ for k in E.__mro__], E().who())
class X: pass
class Y: pass
class Z(X, Y): pass
class W(Y): pass
class V(Z, W): pass
print([k.__name__ for k in V.__mro__])
try:
    class Bad(A, B):
        pass
except TypeError as e:
    print("TypeError:", e)
class Mixin:
    def greet(self):
        return "mixin greet from " + self.name()
class Named:
    def name(self):
        return "Named"
class Combo(Mixin, Named):
    pass
print(Combo().greet())
class P1:
    attr = "P1"
class P2:
    attr = "P2"
    other = "P2-other"
class Q(P1, P2):
    pass
print(Q.attr, Q.other)
class K1:
    def m(self):
        return "K1"
class K2(K1):
    pass
class K3(K1):
    def m(self):
        return "K3"
class K4(K2, K3):
    pass
print(K4().m(), [k.__name__ for k in K4.__mro__])
print(isinstance(d, C), issubclass(D, (int, A)), D.__bases__ == (B, C))
