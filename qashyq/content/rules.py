"""Pure rules of learning content (no database)."""
