"""organization: forms."""
