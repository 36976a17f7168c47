"""Models arrive with this app's issue; the app is installed so its URLs,
migrations and tests have a home from the start."""
