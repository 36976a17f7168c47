"""Routes of resources under /api/v1/, one list per part."""

from . import urls_community, urls_library, urls_links, urls_search, urls_sustain

urlpatterns: list = [
    *urls_library.urlpatterns,
    *urls_search.urlpatterns,
    *urls_links.urlpatterns,
    *urls_sustain.urlpatterns,
    *urls_community.urlpatterns,
]
