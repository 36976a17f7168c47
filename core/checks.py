"""System checks of our own, run by `manage.py check` (and `--deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if getattr(settings, "SECRET_KEY_IS_EPHEMERAL", False):
        return [
            Error(
                "SECRET_KEY is not set in the environment.",
                hint="Set SECRET_KEY to a long random value (e.g. `openssl rand -base64 48`).",
                id="core.E001",
            )
        ]
    return []
