"""Grading beyond one machine: Gradescope and PrairieLearn autograders, a GitHub Classroom workflow, and a grading image."""
