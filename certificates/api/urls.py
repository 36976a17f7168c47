"""Credit endpoints (the participant's own credit, offers of a collaborative)."""

urlpatterns: list = []
