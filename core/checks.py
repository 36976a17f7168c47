"""System checks of our own, run by `manage.py check` (and `--deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .emails import site_url_is_local


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


@register(deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Links in e-mails are built from SITE_URL: a localhost one reaches nobody."""
    site_url = getattr(settings, "SITE_URL", "")
    if settings.DEBUG or not site_url_is_local(site_url):
        return []
    return [
        Warning(
            f"SITE_URL is {site_url}: every link in the e-mails people receive points at "
            "this machine only.",
            hint="Set SITE_URL to the address people open the site at, "
            "e.g. https://qi.example.org.",
            id="core.W001",
        )
    ]


@register(deploy=True)
def accessibility_contact_is_set(app_configs, **kwargs):
    """The accessibility statement must name someone to tell about a barrier."""
    if settings.DEBUG or getattr(settings, "ACCESSIBILITY_CONTACT_EMAIL", ""):
        return []
    return [
        Warning(
            "ACCESSIBILITY_CONTACT_EMAIL is not set: the accessibility statement cannot "
            "say where to report a barrier, only to ask program staff.",
            hint="Set ACCESSIBILITY_CONTACT_EMAIL to an address someone reads, "
            "e.g. accessibility@qi.example.org.",
            id="core.W002",
        )
    ]
