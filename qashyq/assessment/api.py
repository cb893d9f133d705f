"""What other apps may use of testing: results of tests (the gradebook takes them through `test_results`)."""
