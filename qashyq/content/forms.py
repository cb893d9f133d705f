"""Forms of learning content."""
