"""Pages of the gap analysis: template library and builder, waves, team surveys, reports."""

from django.urls import path

from .views import responses, templates, waves

app_name = "assessments"

S = "surveys/<uuid:template_id>"

urlpatterns = [
    # Template library and builder (program staff; coaches read).
    path("surveys/", templates.template_list, name="template_list"),
    path("surveys/new/", templates.template_create, name="template_create"),
    path("surveys/import/", templates.template_import, name="template_import"),
    path(f"{S}/", templates.template_detail, name="template_detail"),
    path(f"{S}/edit/", templates.template_edit, name="template_edit"),
    path(f"{S}/section/", templates.section_edit, name="section_edit"),
    path(f"{S}/question/", templates.question_edit, name="question_edit"),
    path(f"{S}/items/", templates.template_item_action, name="template_item_action"),
    path(f"{S}/publish/", templates.template_publish, name="template_publish"),
    path(f"{S}/new-version/", templates.template_new_version, name="template_new_version"),
    path(f"{S}/export.json", templates.template_export, name="template_export"),
    # Waves of a collaborative.
    path(
        "collaboratives/<uuid:collaborative_id>/surveys/",
        waves.collaborative_surveys,
        name="collaborative_surveys",
    ),
    path(
        "collaboratives/<uuid:collaborative_id>/surveys/new/",
        waves.wave_create,
        name="wave_create",
    ),
    path("surveys/waves/<uuid:wave_id>/", waves.wave_report, name="wave_report"),
    path("surveys/waves/<uuid:wave_id>/edit/", waves.wave_edit, name="wave_edit"),
    path("surveys/waves/<uuid:wave_id>/responses.csv", waves.wave_csv, name="wave_csv"),
    # A team's responses.
    path("teams/<uuid:team_id>/surveys/", responses.team_surveys, name="team_surveys"),
    path(
        "teams/<uuid:team_id>/surveys/<uuid:wave_id>/",
        responses.response_form,
        name="response_form",
    ),
    path(
        "surveys/responses/<uuid:response_id>/",
        responses.response_report,
        name="response_report",
    ),
    path(
        "surveys/responses/<uuid:response_id>/report.pdf",
        responses.response_pdf,
        name="response_pdf",
    ),
    path(
        "surveys/responses/<uuid:response_id>/reopen/",
        responses.response_reopen,
        name="response_reopen",
    ),
]
