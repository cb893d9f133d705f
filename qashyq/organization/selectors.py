"""organization: selectors."""
