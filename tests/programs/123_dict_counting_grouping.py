# Counting and grouping with plain dicts (no collections module)
text = """the cat sat on the mat the dog sat on the log
a cat and a dog met on a mat"""
words = text.split()
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
print(counts)
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
print(top)
by_len = {}
for w in set(words):
    by_len.setdefault(len(w), []).append(w)
print({k: sorted(v) for k, v in sorted(by_len.items())})
letters = {}
for ch in text:
    if ch.isalpha():
        letters[ch] = letters.get(ch, 0) + 1
print(sorted(letters.items()))
print("most common letter:", max(sorted(letters), key=letters.get))
line_index = {}
for ln, line in enumerate(text.splitlines(), 1):
    for w in line.split():
        line_index.setdefault(w, [])
        if ln not in line_index[w]:
            line_index[w].append(ln)
print({w: line_index[w] for w in sorted(line_index)})
students = [("ann", "math", 90), ("bob", "math", 70), ("ann", "art", 85),
            ("cid", "art", 60), ("bob", "art", 95), ("cid", "math", 80)]
per_student = {}
per_subject = {}
for name, subj, score in students:
    per_student.setdefault(name, {})[subj] = score
    per_subject.setdefault(subj, []).append(score)
print(per_student)
print({s: (min(v), max(v), sum(v) / len(v)) for s, v in per_subject.items()})
avg = {n: sum(d.values()) / len(d) for n, d in per_student.items()}
print(sorted(avg.items(), key=lambda kv: -kv[1]))
bigrams = {}
for a, b in zip(words, words[1:]):
    bigrams[(a, b)] = bigrams.get((a, b), 0) + 1
print(sorted(k for k, v in bigrams.items() if v > 1))
hist = {}
for n in [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]:
    hist[n] = hist.get(n, 0) + 1
for k in sorted(hist):
    print(k, "#" * hist[k])
