# Ends with a ValueError raised in a method called via a property, lambda and comprehension
class Temperature:
    def __init__(self, kelvin):
        self.kelvin = kelvin
    @property
    def celsius(self):
        return self._check() - 273.15
    def _check(self):
        if self.kelvin < 0:
            raise ValueError("negative kelvin: %r" % self.kelvin)
        return self.kelvin
temps = [Temperature(k) for k in (0, 273.15, 300)]
print([round(t.celsius, 2) for t in temps])
to_c = lambda t: round(t.celsius, 1)
print(list(map(to_c, temps)))
print(sorted(temps, key=lambda t: -t.kelvin)[0].kelvin, max(t.celsius for t in temps))
print([t._check() for t in temps])
temps.append(Temperature(-5))
print([to_c(t) for t in temps])
print("not reached")
