from __future__ import annotations
def f(a: List[int], b: "x" = 1) -> Dict[str, int]:
    return a
class K:
    v: Optional[K] = None
    def g(self, other: K | None) -> K:
        return self
print(f.__annotations__, K.__annotations__, K.g.__annotations__)
