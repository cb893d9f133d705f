"""Learning content."""
