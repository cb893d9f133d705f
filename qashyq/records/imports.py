"""records: imports."""
