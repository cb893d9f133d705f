"""records: forms."""
