"""Pages of the search part of resources (filled by its feature work)."""

urlpatterns: list = []
