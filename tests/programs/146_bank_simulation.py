# Small object-oriented simulation: accounts, transfers, custom exceptions, history
class InsufficientFunds(Exception):
    def __init__(self, acct, amount):
        super().__init__("%s cannot withdraw %d (balance %d)" % (acct.owner, amount, acct.balance))
        self.acct, self.amount = acct, amount
class Account:
    next_id = 1
    def __init__(self, owner, balance=0):
        self.id = Account.next_id
        Account.next_id += 1
        self.owner = owner
        self.balance = balance
        self.history = []
    def deposit(self, amt):
        if amt <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amt
        self.history.append(("dep", amt))
    def withdraw(self, amt):
        if amt > self.balance:
            raise InsufficientFunds(self, amt)
        self.balance -= amt
        self.history.append(("wd", amt))
    def __repr__(self):
        return "Account(#%d %s: %d)" % (self.id, self.owner, self.balance)
class SavingsAccount(Account):
    def __init__(self, owner, balance=0, rate=0.05):
        super().__init__(owner, balance)
        self.rate = rate
    def add_interest(self):
        interest = int(self.balance * self.rate)
        self.deposit(interest)
        return interest
class Bank:
    def __init__(self):
        self.accounts = {}
    def open(self, cls, *args, **kw):
        acct = cls(*args, **kw)
        self.accounts[acct.id] = acct
        return acct
    def transfer(self, src, dst, amt):
        try:
            self.accounts[src].withdraw(amt)
        except InsufficientFunds as e:
            print("  transfer failed:", e)
            return False
        self.accounts[dst].deposit(amt)
        return True
    def total(self):
        return sum(a.balance for a in self.accounts.values())
bank = Bank()
alice = bank.open(Account, "alice", 100)
bob = bank.open(SavingsAccount, "bob", 1000, rate=0.1)
carol = bank.open(Account, "carol")
print(list(bank.accounts.values()), bank.total())
print(bank.transfer(1, 3, 60), bank.transfer(1, 3, 60), bank.transfer(2, 1, 500))
print(bob.add_interest(), bob.add_interest())
try:
    carol.deposit(-5)
except ValueError as e:
    print("ValueError:", e)
for a in bank.accounts.values():
    print(a, a.history)
print(bank.total(), max(bank.accounts.values(), key=lambda a: a.balance).owner)
print(sorted(bank.accounts.values(), key=lambda a: -a.balance))
