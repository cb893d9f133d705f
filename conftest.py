import os

os.environ.setdefault("QASHYQ_TESTING", "1")
