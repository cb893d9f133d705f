"""How passwords are stored: Argon2id (docs/decisions/0008-password-hashing.md)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with the first setting OWASP's Password Storage Cheat Sheet recommends: 19 MiB of memory,
    2 passes, 1 lane. About 20 ms of one core a sign-in, where Django's PBKDF2 (1,500,000 iterations) costs
    about 0.4 s, and memory-hard, so a GPU gains far less on it. Hashes made with other settings or
    algorithms are checked as before and rewritten with these at the user's next sign-in."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
