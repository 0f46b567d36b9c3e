"""The reference engine that the hidden checks compare student code against."""
