"""Credit rules, eligibility, PDF certificates, verification."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # Panels: the team home's "credit ready to claim" and the collaborative page's
        # credit link; the copy step that carries offers to a copied collaborative.
        from . import copying, panels  # noqa: F401
