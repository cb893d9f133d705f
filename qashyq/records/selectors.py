"""records: selectors."""
