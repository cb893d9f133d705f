"""records: services."""
