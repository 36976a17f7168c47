"""Only the deliberate mistakes of tests/leaky_urls.py, as a URL configuration to walk.

The guard's self-checks serve the project plus the mistakes (tests.leaky_urls) but walk
just these routes: they prove the guard catches a leaky view and an unknown URL keyword
in a second instead of re-walking the whole project (which the guard tests do already).
The paths are the same in both configurations, so what the guard reverses here is what
the test client answers from tests.leaky_urls.
"""

from tests.leaky_urls import leaky_urlpatterns

urlpatterns = list(leaky_urlpatterns)
