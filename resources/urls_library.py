"""Pages of the library part of resources (filled by its feature work)."""

urlpatterns: list = []
