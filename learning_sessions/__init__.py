"""Events, registration, attendance, evaluations, reminders."""
