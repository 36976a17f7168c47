"""Credit pages: a participant's own credit under /credit/, staff's credit settings and
reports under their collaborative, the program's certificate template under its
program, and the public verification page under /verify/."""

from django.urls import path

from . import views_participant

app_name = "certificates"

C = "collaboratives/<uuid:collaborative_id>/credit"

urlpatterns: list = [
    path("credit/", views_participant.my_credit, name="my_credit"),
    path("credit/offers/<uuid:offer_id>/claim", views_participant.claim, name="claim"),
    path(
        "credit/certificates/<str:certificate_code>/pdf",
        views_participant.certificate_pdf,
        name="certificate_pdf",
    ),
]
