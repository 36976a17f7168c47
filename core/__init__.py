"""Shared plumbing: audit events, outbound e-mail, API base classes, health."""
