# Ends with sys.exit("message"): message goes to stderr, exit status 1
import sys
def validate(config):
    for key in ("host", "port", "user"):
        if key not in config:
            return "fatal: missing config key %r" % key
        print("found", key, "=", config[key])
    return None
print(validate({"host": "h", "port": 1, "user": "u"}))
print("argv has", len(sys.argv), "entry; script name ends with .py:", sys.argv[0].endswith(".py"))
try:
    sys.exit("caught exit")
except SystemExit as e:
    print("caught SystemExit with code", repr(e.code))
try:
    sys.exit()
except SystemExit as e:
    print("bare sys.exit() code is", e.code)
problem = validate({"host": "localhost", "port": 8080})
if problem:
    sys.exit(problem)
print("not reached")
