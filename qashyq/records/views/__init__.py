"""records: views (orders.py and students.py)."""
