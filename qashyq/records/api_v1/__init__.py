"""records: api_v1 (orders.py and students.py)."""
