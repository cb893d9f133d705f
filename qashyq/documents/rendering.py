"""documents: rendering."""
