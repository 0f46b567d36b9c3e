"""Grading a whole class: one folder per submission in, grades.csv, feedback and a class summary out."""
