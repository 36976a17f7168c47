"""Routes of the measures API under /api/v1/."""

urlpatterns: list = []
