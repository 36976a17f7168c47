"""Gap-analysis survey templates, waves, responses and scoring."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Gap analysis"

    def ready(self) -> None:
        # Register the copy step (collaborative copies bring their waves) and the
        # team home's "what is due next" provider.
        from . import copying, due  # noqa: F401
