"""records: selectors (orders.py and students.py)."""
