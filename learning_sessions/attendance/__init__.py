"""Attendance at events: the session code, the roster, own statements, report imports."""
