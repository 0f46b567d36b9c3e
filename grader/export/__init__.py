"""Grading beyond one machine: a Gradescope autograder and a GitHub Classroom workflow, made from this grader."""
