# Ends with an uncaught exception raised several calls deep (multi-frame traceback)
def parse_record(line):
    name, age = line.split(":")
    return name.strip(), parse_age(age)
def parse_age(text):
    value = int(text)
    if value < 0:
        raise ValueError("age must be non-negative: %d" % value)
    return value
def load(lines):
    records = []
    for line in lines:
        records.append(parse_record(line))
        print("loaded", records[-1])
    return records
class Loader:
    def __init__(self, lines):
        self.lines = lines
    def run(self):
        return load(self.lines)
print(Loader(["ann: 30", "bob: 41"]).run())
print(Loader(["cid: 7", "dee: -3", "eve: 5"]).run())
print("not reached")
