"""academics: selectors."""
