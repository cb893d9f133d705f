"""What other apps may use of learning content."""
