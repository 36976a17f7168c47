"""Scoped reads of resources, one module per part (the library, its links, the community)."""
