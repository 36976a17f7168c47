"""Credit rules, eligibility, PDF certificates, verification."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # Celery's autodiscovery imports `certificates.tasks` only: register the
        # bulk-issue task too, so that a worker knows it by name.
        from . import tasks_bulk  # noqa: F401
