"""Routes of the assessments API under /api/v1/."""

urlpatterns: list = []
