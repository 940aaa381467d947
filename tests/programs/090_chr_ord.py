# chr/ord, character arithmetic, escapes
print(ord("a"), ord("A"), ord("0"), ord(" "), ord("\n"), ord("\x00"), ord("\x7f"))
print(chr(65), chr(97), chr(48), repr(chr(10)), repr(chr(0)), repr(chr(127)))
print(ord("\xe9"), ord("\u20ac"), ord("\U0001F600"), repr(chr(233)), repr(chr(8364)))
print([ord(c) for c in "Hello"], "".join(chr(c) for c in [80, 121, 116, 104, 111, 110]))
print("".join(chr(ord("a") + i) for i in range(26)))
print("".join(chr(ord(c) + 1) for c in "HAL"))
def caesar(s, k):
    out = ""
    for c in s:
        if c.isalpha():
            base = ord("a") if c.islower() else ord("A")
            out += chr((ord(c) - base + k) % 26 + base)
        else:
            out += c
    return out
print(caesar("Attack at Dawn!", 3), caesar(caesar("Attack at Dawn!", 3), -3))
try:
    ord("ab")
except TypeError as e:
    print("TypeError:", e)
try:
    ord("")
except TypeError as e:
    print("TypeError:", e)
try:
    chr(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    chr(0x110000)
except ValueError as e:
    print("ValueError:", e)
print(ord(b"A"), ord(bytearray(b"z")), chr(0x10FFFF) == "\U0010ffff")
print(repr("\a\b\f\v\r"), [ord(c) for c in "\a\b\f\v\r\t"])
print(len("\u00e9"), len("e\u0301"), "\x41\u0042\U00000043", "\101\102")
digits = [ord(c) - ord("0") for c in "9081726354"]
print(digits, sum(digits))
print(sorted("dCbA", key=ord), max("hello", key=ord), min(map(ord, "hello")))
print(chr(ord("z") - 25), ord(chr(1000)))
print(ascii(chr(200)), ascii(chr(0x1F600)), repr("\u200b"))
