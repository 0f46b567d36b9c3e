"""Click commands that live outside grader/cli.py, each a thin shell over one library function."""
