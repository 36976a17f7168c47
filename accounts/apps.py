"""Users (e-mail login), programs (the tenants) and program roles."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and programs"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the token receivers)
