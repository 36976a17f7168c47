"""Routes of the pdsa API under /api/v1/."""

urlpatterns: list = []
