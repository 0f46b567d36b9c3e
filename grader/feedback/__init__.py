"""Feedback: what the grader shows, in text, JSON and graphs, and the cleaning every shown string goes through."""
