"""documents: permissions."""
