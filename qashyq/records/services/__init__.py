"""records: services (orders.py and students.py)."""
