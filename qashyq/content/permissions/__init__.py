"""Who may see and do what in learning content. "Not yours" and "does not exist" both give 404."""
