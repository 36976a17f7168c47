"""Facilities, teams, memberships, invitations, progress ratings."""
