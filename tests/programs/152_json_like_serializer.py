# Recursive serializer for a JSON-like format (no json module)
def dumps(v, indent=0):
    pad = "  " * indent
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, (list, tuple)):
        if not v:
            return "[]"
        inner = (",\n").join(pad + "  " + dumps(x, indent + 1) for x in v)
        return "[\n" + inner + "\n" + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        inner = ",\n".join(pad + "  " + dumps(str(k)) + ": " + dumps(x, indent + 1) for k, x in v.items())
        return "{\n" + inner + "\n" + pad + "}"
    raise TypeError("cannot serialize " + type(v).__name__)
data = {"name": "pyreg", "version": [0, 1, 2], "ok": True, "none": None, "pi": 3.14,
        "nested": {"list": [1, {"deep": "x\"y\n"}], "empty": {}, "e": []}, "neg": -5e-7}
text = dumps(data)
print(text)
print(dumps([]), dumps({}), dumps("q\"uote"), dumps([1.5, -2, None]), dumps((True, False)))
print(dumps({1: "int key", "list": [[], [[]]]}))
try:
    dumps({1, 2})
except TypeError as e:
    print("TypeError:", e)
