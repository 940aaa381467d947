# A tiny stack-machine interpreter written in Python (dispatch loop, dicts, closures)
PROGRAM = """
push 0
store i
push 1
store acc
label loop
load i
push 10
lt
jz end
load acc
push 3
mul
push 7
mod
store acc
load i
push 1
add
store i
load acc
print
jmp loop
label end
load i
load acc
add
print
halt
"""
def assemble(src):
    code, labels = [], {}
    for line in src.strip().splitlines():
        parts = line.split()
        if parts[0] == "label":
            labels[parts[1]] = len(code)
        else:
            code.append((parts[0], parts[1] if len(parts) > 1 else None))
    return code, labels
def run(code, labels):
    stack, env, pc, steps, out = [], {}, 0, 0, []
    binops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b,
              "mod": lambda a, b: a % b, "lt": lambda a, b: int(a < b), "sub": lambda a, b: a - b}
    while True:
        op, arg = code[pc]
        pc += 1
        steps += 1
        if op == "push":
            stack.append(int(arg))
        elif op == "store":
            env[arg] = stack.pop()
        elif op == "load":
            stack.append(env[arg])
        elif op in binops:
            b = stack.pop()
            a = stack.pop()
            stack.append(binops[op](a, b))
        elif op == "jz":
            if stack.pop() == 0:
                pc = labels[arg]
        elif op == "jmp":
            pc = labels[arg]
        elif op == "print":
            out.append(stack.pop())
        elif op == "halt":
            return out, steps, env
        else:
            raise ValueError("bad op " + op)
code, labels = assemble(PROGRAM)
print(len(code), labels)
out, steps, env = run(code, labels)
print(out)
print(steps, sorted(env.items()))
try:
    run([("bogus", None)], {})
except ValueError as e:
    print("ValueError:", e)
