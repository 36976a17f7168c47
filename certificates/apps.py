"""Credit rules, eligibility, PDF certificates, verification."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self) -> None:
        # The collaborative page's credit panel (staff) and the copy step for offers.
        from . import copying, panels  # noqa: F401
