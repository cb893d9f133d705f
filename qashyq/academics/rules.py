"""academics: rules."""
