"""Gap-analysis survey templates, waves, responses and scoring."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Gap analysis"
