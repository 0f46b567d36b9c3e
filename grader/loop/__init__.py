"""The student loop: watch, the warm grading process behind it, reset and hints."""
