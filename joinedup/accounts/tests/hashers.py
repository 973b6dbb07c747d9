"""Cheap versions of the production hashers, so that hundreds of test sign-ins stay fast.

Same algorithms and hash formats (a test hash still starts "argon2"); only the work factors are
lowered. Production settings are untouched and checked in test_sign_in.py.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


QUICK_HASHERS = [
    "joinedup.accounts.tests.hashers.QuickArgon2PasswordHasher",
    "joinedup.accounts.tests.hashers.QuickPBKDF2PasswordHasher",
]
