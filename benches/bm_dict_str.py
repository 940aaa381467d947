# Dicts and strings: word counts, string building, split/join/format.
N = 50000

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu "
         "nu xi omicron pi rho sigma tau upsilon phi chi psi omega").split()


def make_text(n):
    # deterministic pseudo-random text from a hand-written LCG
    seed = 12345
    lines = []
    for i in range(n):
        parts = []
        for j in range(12):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            w = WORDS[(seed >> 16) % len(WORDS)]
            if (seed >> 12) & 1:
                w = w.capitalize()
            parts.append(w)
        lines.append(" ".join(parts) + ("." if i % 3 else ","))
    return "\n".join(lines)


def word_counts(text):
    counts = {}
    for line in text.splitlines():
        for word in line.strip(".,").split():
            key = word.lower()
            counts[key] = counts.get(key, 0) + 1
    return counts


def bigrams(text):
    pairs = {}
    words = text.replace("\n", " ").replace(".", "").replace(",", "").lower().split()
    for a, b in zip(words, words[1:]):
        k = a + "-" + b
        if k in pairs:
            pairs[k] += 1
        else:
            pairs[k] = 1
    return pairs


def report(counts):
    out = []
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for rank, (word, c) in enumerate(items):
        out.append(f"{rank:3d} {word:<10s} {c:6d}")
        out.append("%-10s|%5d|%s" % (word.upper(), c, word[::-1]))
    return "\n".join(out)


def char_stats(text):
    freq = {}
    for ch in text:
        freq[ch] = freq.get(ch, 0) + 1
    vowels = sum(freq.get(v, 0) for v in "aeiou")
    return len(freq), vowels


def build_strings(n):
    s = ""
    for i in range(n):
        s += str(i % 97)
        if len(s) > 200:
            s = s[100:] + s[:10]
    parts = ["{}:{}".format(i, hex(i)) for i in range(n)]
    joined = ",".join(parts)
    return len(s), len(joined), joined.count("f"), joined.find("ff0")


def main(n):
    text = make_text(n)
    counts = word_counts(text)
    bg = bigrams(text)
    rep = report(counts)
    nchars, vowels = char_stats(text)
    bs = build_strings(n * 5)
    h = 0
    for ch in rep:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    top = max(bg.items(), key=lambda kv: (kv[1], kv[0]))
    print("words %d distinct %d bigrams %d top %s=%d" % (sum(counts.values()), len(counts), len(bg), top[0], top[1]))
    print("chars %d vowels %d report hash %d strings %r" % (nchars, vowels, h, bs))


main(N)
