"""academics: forms."""
