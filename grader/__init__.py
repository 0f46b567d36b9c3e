"""Hidden checks and the `grade` command for the micrograd exercises."""
