"""The learning sessions API under /api/v1/ (one module per concern)."""
