# Ends with an AttributeError on a user-defined object and on None
class User:
    def __init__(self, name, email=None):
        self.name = name
        self.email = email
    def domain(self):
        return self.email.split("@")[1]
users = [User("ann", "ann@example.com"), User("bob", "bob@test.org")]
for u in users:
    print(u.name, u.domain())
try:
    users[0].phone
except AttributeError as e:
    print("caught:", e)
print(hasattr(users[0], "email"), getattr(users[0], "phone", "no phone"))
print([u.name.upper() for u in users], sorted(vars(users[1])))
users.append(User("cid"))
for u in users:
    print(u.name, u.domain())
print("not reached")
