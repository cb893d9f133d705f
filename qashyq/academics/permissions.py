"""academics: permissions."""
