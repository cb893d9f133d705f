"""Private files: storing uploads after checking their content, and serving them after an access check."""
