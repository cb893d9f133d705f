"""organization: permissions."""
