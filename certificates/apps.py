"""Credit rules, eligibility, PDF certificates, verification."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # Panels: the team home's "credit ready to claim" and the collaborative page's
        # credit link; the copy step that carries offers to a copied collaborative.
        # Celery's autodiscovery imports `certificates.tasks` only: import the
        # bulk-issue task too, so that a worker knows it by name.
        from . import copying, panels, tasks_bulk  # noqa: F401
