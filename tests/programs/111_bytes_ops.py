# bytes and bytearray operations
b = b"hello world"
print(b, len(b), b[0], b[-1], b[:5], b[::-1], b[6:])
print(b.upper(), b.split(), b.replace(b"o", b"0"), b.find(b"wor"), b.count(b"l"))
print(b + b"!", b * 2, b"x" in b, b"wor" in b, 104 in b, b.startswith(b"he"))
print(list(b"abc"), bytes([104, 105]), bytes(3), bytes(range(65, 70)))
print(b.hex(), bytes.fromhex("deadbeef"), b"\xde\xad".hex())
print(b.decode(), b"caf\xc3\xa9".decode("utf-8") == "caf\u00e9", "xyz".encode("ascii"))
print(b"a,b,c".split(b","), b"-".join([b"x", b"y"]), b"  pad  ".strip())
print(b"abc" < b"abd", b"abc" == b"abc", b"" < b"a", sorted([b"b", b"a", b"c"]))
ba = bytearray(b"abc")
ba.append(100)
ba.extend(b"ef")
ba[0] = 65
print(ba, len(ba), ba.pop(), ba)
ba.insert(1, 90)
del ba[-1]
print(ba, bytes(ba), ba.decode())
ba2 = bytearray(4)
for i in range(4):
    ba2[i] = i * 60
print(ba2, list(ba2))
try:
    ba2[0] = 256
except ValueError as e:
    print("ValueError:", e)
try:
    b[0] = 1
except TypeError as e:
    print("TypeError:", e)
try:
    b"abc" + "str"
except TypeError as e:
    print("TypeError:", e)
print(int.from_bytes(b"\x00\x10", "big"), int.from_bytes(b"\x00\x10", "little"), (1024).to_bytes(2, "big"))
print(b"%s-%d" % (b"id", 7), b"abc".center(9, b"*"), b"Hello".swapcase())
checksum = 0
for byte in b"The quick brown fox":
    checksum = (checksum * 31 + byte) % 65521
print(checksum)
print(bytes(b"x") is not None, type(b[0]).__name__, type(b[0:1]).__name__)
print(b"abc".isalpha(), b"123".isdigit(), b"a1".isalnum(), b" ".isspace(), b"AbC".lower())
print(repr(bytes([0, 9, 10, 13, 39, 92, 127, 128, 255])))
