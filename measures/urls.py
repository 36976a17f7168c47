"""Measures pages: a team's data and charts under the team, aggregates and staff pages
under the collaborative, and the program's library."""

from django.urls import path

from .views import collaborative, exports, files, library, team

app_name = "measures"

T = "teams/<uuid:team_id>/measures"
C = "collaboratives/<uuid:collaborative_id>/measures"
L = "measures/library"

urlpatterns = [
    # a team's measures
    path(f"{T}/", team.team_home, name="team_measures"),
    path(f"{T}/periods/<uuid:period_id>/", team.period_entry, name="period"),
    path(f"{T}/periods/<uuid:period_id>/review/", team.period_review, name="period_review"),
    path(f"{T}/choose/", team.team_choose, name="team_choose"),
    path(f"{T}/sharing/", team.team_sharing, name="team_sharing"),
    path(f"{T}/own/new/", team.custom_measure_create, name="custom_create"),
    path(f"{T}/own/<uuid:measure_id>/edit/", team.custom_measure_edit, name="custom_edit"),
    path(f"{T}/import/", files.team_import, name="team_import"),
    path(f"{T}/import/template/", files.team_template, name="team_template"),
    path(f"{T}/import/<uuid:import_id>/", files.team_import_preview, name="team_import_preview"),
    path(f"{T}/export/", files.team_export, name="team_export"),
    path(f"{T}/values/<uuid:data_point_id>/delete/", team.data_point_delete, name="value_delete"),
    path(
        f"{T}/values/<uuid:data_point_id>/restore/", team.data_point_restore, name="value_restore"
    ),
    path(f"{T}/<uuid:measure_id>/", team.team_measure, name="team_measure"),
    path(f"{T}/<uuid:measure_id>/settings/", team.chart_settings, name="chart_settings"),
    path(f"{T}/<uuid:measure_id>/history/", team.history_page, name="measure_history"),
    # a collaborative's measures
    path(f"{C}/", collaborative.collaborative_home, name="collaborative"),
    path(f"{C}/status/", collaborative.submission_status, name="status"),
    path(f"{C}/set/", collaborative.measure_set_page, name="set"),
    path(f"{C}/set/<uuid:measure_id>/", collaborative.measure_set_entry, name="set_entry"),
    path(f"{C}/periods/", collaborative.periods_page, name="periods"),
    path(f"{C}/periods/<uuid:period_id>/", collaborative.period_edit, name="period_edit"),
    path(f"{C}/import/", files.collaborative_import, name="collaborative_import"),
    path(f"{C}/import/template/", files.collaborative_template, name="collaborative_template"),
    path(
        f"{C}/import/<uuid:import_id>/",
        files.collaborative_import_preview,
        name="collaborative_import_preview",
    ),
    path(f"{C}/export/", files.collaborative_export, name="collaborative_export"),
    path(f"{C}/exports/", exports.collaborative_exports, name="collaborative_exports"),
    path(
        f"{C}/exports/<uuid:export_id>/status/",
        exports.collaborative_export_status,
        name="collaborative_export_status",
    ),
    path(
        f"{C}/exports/<uuid:export_id>/download/",
        exports.collaborative_export_download,
        name="collaborative_export_download",
    ),
    path(f"{C}/<uuid:measure_id>/", collaborative.collaborative_measure, name="measure"),
    # the program's library, and the coach's reviews
    path(f"{L}/", library.library, name="library"),
    path(f"{L}/new/", library.library_create, name="library_create"),
    path(f"{L}/<uuid:measure_id>/", library.library_detail, name="library_detail"),
    path(f"{L}/<uuid:measure_id>/edit/", library.library_edit, name="library_edit"),
    path("measures/reviews/", library.reviews, name="reviews"),
]
