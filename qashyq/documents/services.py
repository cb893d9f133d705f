"""documents: services."""
