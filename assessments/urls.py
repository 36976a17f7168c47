"""Pages of the gap analysis: template library and builder, waves, team surveys, reports."""

from django.urls import path

from . import response_views, views, wave_views

app_name = "assessments"

S = "surveys/<uuid:template_id>"

urlpatterns = [
    # Template library and builder (program staff; coaches read).
    path("surveys/", views.template_list, name="template_list"),
    path("surveys/new/", views.template_create, name="template_create"),
    path("surveys/import/", views.template_import, name="template_import"),
    path(f"{S}/", views.template_detail, name="template_detail"),
    path(f"{S}/edit/", views.template_edit, name="template_edit"),
    path(f"{S}/section/", views.section_edit, name="section_edit"),
    path(f"{S}/question/", views.question_edit, name="question_edit"),
    path(f"{S}/items/", views.template_item_action, name="template_item_action"),
    path(f"{S}/publish/", views.template_publish, name="template_publish"),
    path(f"{S}/new-version/", views.template_new_version, name="template_new_version"),
    path(f"{S}/export.json", views.template_export, name="template_export"),
    # Waves of a collaborative.
    path(
        "collaboratives/<uuid:collaborative_id>/surveys/",
        wave_views.collaborative_surveys,
        name="collaborative_surveys",
    ),
    path(
        "collaboratives/<uuid:collaborative_id>/surveys/new/",
        wave_views.wave_create,
        name="wave_create",
    ),
    path("surveys/waves/<uuid:wave_id>/", wave_views.wave_report, name="wave_report"),
    path("surveys/waves/<uuid:wave_id>/edit/", wave_views.wave_edit, name="wave_edit"),
    path("surveys/waves/<uuid:wave_id>/responses.csv", wave_views.wave_csv, name="wave_csv"),
    # A team's responses.
    path("teams/<uuid:team_id>/surveys/", response_views.team_surveys, name="team_surveys"),
    path(
        "teams/<uuid:team_id>/surveys/<uuid:wave_id>/",
        response_views.response_form,
        name="response_form",
    ),
    path(
        "surveys/responses/<uuid:response_id>/",
        response_views.response_report,
        name="response_report",
    ),
    path(
        "surveys/responses/<uuid:response_id>/report.pdf",
        response_views.response_pdf,
        name="response_pdf",
    ),
    path(
        "surveys/responses/<uuid:response_id>/reopen/",
        response_views.response_reopen,
        name="response_reopen",
    ),
]
