"""Pages of the library, search, links, share-and-sustain and communities of practice.

Each part keeps its own route list (urls_<part>.py) so that the parts grow apart.
"""

from . import urls_community, urls_library, urls_links, urls_search, urls_sustain

app_name = "resources"

urlpatterns: list = [
    *urls_library.urlpatterns,
    *urls_search.urlpatterns,
    *urls_links.urlpatterns,
    *urls_sustain.urlpatterns,
    *urls_community.urlpatterns,
]
