from micrograd_ref.engine import Value  # noqa: F401
