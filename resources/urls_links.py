"""Pages of the links part of resources (filled by its feature work)."""

urlpatterns: list = []
