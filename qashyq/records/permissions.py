"""records: permissions."""
