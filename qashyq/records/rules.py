"""records: rules."""
