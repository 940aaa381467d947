# Text processing: word frequency, sentence splitting, justification, wrapping
TEXT = """Python is a programming language that lets you work quickly and integrate
systems more effectively. Python is powerful, and fast; plays well with others;
runs everywhere; is friendly and easy to learn. Python is open. Is it fun? Yes!"""
words = [w.strip(".,;?!").lower() for w in TEXT.split()]
print(len(words), len(set(words)))
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:6])
sentences = []
cur = ""
for ch in TEXT.replace("\n", " "):
    cur += ch
    if ch in ".?!":
        sentences.append(cur.strip())
        cur = ""
print(len(sentences))
for s in sentences:
    print(" -", s)
def wrap(text, width):
    lines, line = [], ""
    for w in text.split():
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = line + " " + w if line else w
    if line:
        lines.append(line)
    return lines
for l in wrap(TEXT, 32):
    print("|" + l.ljust(32) + "|")
def justify(line, width):
    ws = line.split()
    if len(ws) == 1:
        return ws[0].ljust(width)
    gaps = len(ws) - 1
    spaces = width - sum(map(len, ws))
    out = ""
    for i, w in enumerate(ws[:-1]):
        out += w + " " * (spaces // gaps + (1 if i < spaces % gaps else 0))
    return out + ws[-1]
for l in wrap(TEXT, 28):
    print("[" + justify(l, 28) + "]")
vowels = sum(1 for c in TEXT.lower() if c in "aeiou")
print("vowels", vowels, "letters", sum(c.isalpha() for c in TEXT), "upper", sum(c.isupper() for c in TEXT))
longest = max(words, key=len)
print("longest", longest, len(longest))
acronym = "".join(w[0].upper() for w in "portable operating system interface".split())
print(acronym)
print(" ".join(w[::-1] for w in "reverse each word here".split()))
