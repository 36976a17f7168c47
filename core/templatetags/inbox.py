"""The bell in the top bar: `{% load inbox %}{% notification_bell %}`.

A tag, not a context processor, so that only the pages that draw the top bar for a
signed-in person ask for the count (one cached value, core.inbox.unread_count), and
pages for anonymous visitors run no query for it at all.
"""

from django import template

from ..inbox import unread_count

register = template.Library()


def _bell(context) -> dict:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user=user)}


@register.inclusion_tag("core/partials/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell: a link to the inbox with the unread count, in the navigation."""
    return _bell(context)


@register.inclusion_tag("core/partials/_menu_badge.html", takes_context=True)
def notification_menu_badge(context) -> dict:
    """The unread count on the Menu button, for screens where the navigation (and the
    bell in it) is folded away; the Menu button is hidden on wide screens."""
    return _bell(context)
