# Ends with an explicitly chained exception: "The above exception was the direct cause..."
class ConfigError(Exception):
    pass
def parse_port(text):
    try:
        port = int(text)
    except ValueError as exc:
        raise ConfigError("invalid port setting %r" % text) from exc
    if not 0 < port < 65536:
        raise ConfigError("port out of range: %d" % port)
    return port
for t in ["80", "8080"]:
    print("port", parse_port(t))
try:
    parse_port("70000")
except ConfigError as e:
    print("caught:", e, "| cause:", e.__cause__)
print("loading bad value")
parse_port("http")
print("not reached")
