"""Pages of the community part of resources (filled by its feature work)."""

urlpatterns: list = []
