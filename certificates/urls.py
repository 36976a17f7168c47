"""Credit pages: a participant's own credit under /credit/, staff's credit settings and
reports under their collaborative, the program's certificate template under its
program, and the public verification page under /verify/."""

from django.urls import path  # noqa: F401  (each part of the workflow adds its routes)

app_name = "certificates"

C = "collaboratives/<uuid:collaborative_id>/credit"

urlpatterns: list = []
