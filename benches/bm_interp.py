# A small interpreter: tokenizer, recursive-descent parser into tuples,
# and a tree-walking evaluator for a tiny expression/statement language.
N = 16000

SOURCE = """
x = 0
i = 0
while i < LIMIT {
    x = x + i * 3 % 7 - (i / 2)
    if x > 1000 { x = x - 999 } else { x = x + 1 }
    i = i + 1
}
y = x * 2 + i
"""


class Token:
    def __init__(self, kind, value):
        self.kind = kind
        self.value = value

    def __repr__(self):
        return "Token(%s, %r)" % (self.kind, self.value)


def tokenize(src):
    tokens = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c in " \t\n":
            i += 1
        elif c.isdigit():
            j = i
            while j < n and src[j].isdigit():
                j += 1
            tokens.append(Token("num", int(src[i:j])))
            i = j
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            word = src[i:j]
            if word in ("while", "if", "else"):
                tokens.append(Token(word, word))
            else:
                tokens.append(Token("name", word))
            i = j
        elif src.startswith("==", i) or src.startswith("<=", i):
            tokens.append(Token("op", src[i:i + 2]))
            i += 2
        elif c in "+-*/%<>=(){}":
            tokens.append(Token("op", c))
            i += 1
        else:
            raise SyntaxError("bad char %r" % c)
    tokens.append(Token("eof", None))
    return tokens


class Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        t = self.tokens[self.pos]
        self.pos += 1
        return t

    def expect(self, value):
        t = self.next()
        if t.value != value:
            raise SyntaxError("expected %r got %r" % (value, t))
        return t

    def program(self):
        stmts = []
        while self.peek().kind != "eof":
            stmts.append(self.statement())
        return ("block", stmts)

    def block(self):
        self.expect("{")
        stmts = []
        while self.peek().value != "}":
            stmts.append(self.statement())
        self.expect("}")
        return ("block", stmts)

    def statement(self):
        t = self.peek()
        if t.kind == "while":
            self.next()
            cond = self.expr()
            return ("while", cond, self.block())
        if t.kind == "if":
            self.next()
            cond = self.expr()
            then = self.block()
            other = ("block", [])
            if self.peek().kind == "else":
                self.next()
                other = self.block()
            return ("if", cond, then, other)
        name = self.next().value
        self.expect("=")
        return ("assign", name, self.expr())

    def expr(self):
        left = self.arith()
        while self.peek().value in ("<", ">", "==", "<="):
            op = self.next().value
            left = ("bin", op, left, self.arith())
        return left

    def arith(self):
        left = self.term()
        while self.peek().value in ("+", "-"):
            op = self.next().value
            left = ("bin", op, left, self.term())
        return left

    def term(self):
        left = self.atom()
        while self.peek().value in ("*", "/", "%"):
            op = self.next().value
            left = ("bin", op, left, self.atom())
        return left

    def atom(self):
        t = self.next()
        if t.kind == "num":
            return ("num", t.value)
        if t.kind == "name":
            return ("var", t.value)
        if t.value == "(":
            e = self.expr()
            self.expect(")")
            return e
        raise SyntaxError("unexpected %r" % (t,))


OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b,
    "%": lambda a, b: a % b,
    "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b),
    "==": lambda a, b: int(a == b),
}


def evaluate(node, env):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "var":
        return env[node[1]]
    if kind == "bin":
        return OPS[node[1]](evaluate(node[2], env), evaluate(node[3], env))
    raise ValueError(kind)


def execute(node, env):
    kind = node[0]
    if kind == "block":
        for s in node[1]:
            execute(s, env)
    elif kind == "assign":
        env[node[1]] = evaluate(node[2], env)
    elif kind == "while":
        while evaluate(node[1], env):
            execute(node[2], env)
    elif kind == "if":
        if evaluate(node[1], env):
            execute(node[2], env)
        else:
            execute(node[3], env)


def main(n):
    src = SOURCE.replace("LIMIT", str(n))
    ntok = 0
    for _ in range(n // 3):
        ntok += len(tokenize(src))
    tree = Parser(tokenize(src)).program()
    total = 0
    for k in range(10):
        env = {}
        execute(tree, env)
        total += env["y"] + k
    print("tokens %d stmts %d" % (ntok, len(tree[1])))
    print("result %d env %r" % (total, sorted(env.items())))


main(N)
