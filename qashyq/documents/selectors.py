"""documents: selectors."""
