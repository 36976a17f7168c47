"""Credit pages: a participant's own credit under /credit/, staff's credit settings and
reports under their collaborative, the program's certificate template under its
program, and the public verification page under /verify/."""

from django.urls import path

from . import views_attestation, views_credit, views_participant

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
    # Staff's credit configuration and the MOC Part 4 attestation workflow.
    path(f"{C}/", views_credit.collaborative_credit, name="collaborative_credit"),
    path(f"{C}/offers/new/", views_credit.offer_create_view, name="offer_create"),
    path(f"{C}/offers/<uuid:offer_id>/", views_credit.offer_edit_view, name="offer_edit"),
    path(
        f"{C}/offers/<uuid:offer_id>/publish/",
        views_credit.offer_publish_view,
        name="offer_publish",
    ),
    path(
        f"{C}/attestations/<uuid:attestation_id>/decide/",
        views_credit.attestation_decide_view,
        name="attestation_decide",
    ),
    path(
        "credit/offers/<uuid:offer_id>/attestation/",
        views_attestation.attestation_form_view,
        name="attestation_form",
    ),
    path(
        "credit/attestations/<uuid:attestation_id>/",
        views_attestation.attestation_view,
        name="attestation",
    ),
    path(
        "credit/attestations/<uuid:attestation_id>/cosign/",
        views_attestation.attestation_cosign_view,
        name="attestation_cosign",
    ),
]
