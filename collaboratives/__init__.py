"""Collaboratives, phases, enrolment, coach assignment, lifecycle."""
