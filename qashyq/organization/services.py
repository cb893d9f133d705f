"""organization: services."""
