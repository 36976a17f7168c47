"""Pages of the sustain part of resources (filled by its feature work)."""

urlpatterns: list = []
