# User-defined exception classes: attributes, __str__, hierarchy, catching
class AppError(Exception):
    """Base error."""
class ValidationError(AppError):
    def __init__(self, field, problem):
        super().__init__(field, problem)
        self.field = field
        self.problem = problem
    def __str__(self):
        return "%s: %s" % (self.field, self.problem)
class NotFound(AppError):
    def __init__(self, key):
        self.key = key
        super().__init__("missing %r" % key)
class Retryable(AppError):
    pass
class TimeoutErr(Retryable):
    pass
def validate(user):
    if "name" not in user:
        raise ValidationError("name", "required")
    if len(user["name"]) < 3:
        raise ValidationError("name", "too short")
    if user.get("age", 0) < 0:
        raise ValidationError("age", "negative")
    return "ok"
for u in [{}, {"name": "al"}, {"name": "alice", "age": -1}, {"name": "bob", "age": 3}]:
    try:
        print(validate(u))
    except ValidationError as e:
        print("invalid ->", e, "| field =", e.field, "| args =", e.args)
def lookup(k):
    raise NotFound(k)
try:
    lookup("user42")
except AppError as e:
    print(type(e).__name__, e, e.key, repr(e))
attempts = 0
def flaky():
    global attempts
    attempts += 1
    if attempts < 3:
        raise TimeoutErr("attempt %d timed out" % attempts)
    return "success after %d" % attempts
while True:
    try:
        print(flaky())
        break
    except Retryable as e:
        print("retrying:", e)
print(AppError.__doc__, issubclass(TimeoutErr, AppError), TimeoutErr.__mro__[2].__name__)
class WithDefault(Exception):
    def __init__(self, msg="default message"):
        super().__init__(msg)
try:
    raise WithDefault
except WithDefault as e:
    print(e, e.args)
class NoSuperInit(Exception):
    def __init__(self, code):
        self.code = code
try:
    raise NoSuperInit(404)
except NoSuperInit as e:
    print(e.code, e.args, repr(str(e)))
errors = [ValidationError("f", "p"), NotFound(1), TimeoutErr("t"), AppError()]
print([type(e).__name__ for e in errors if isinstance(e, AppError)], [str(e) for e in errors])
