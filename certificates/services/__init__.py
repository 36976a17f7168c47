"""Writes of the credit workflow, one module per concern."""
