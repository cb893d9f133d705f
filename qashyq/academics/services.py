"""academics: services."""
