"""The bell in the top bar: `{% load inbox %}{% notification_bell %}`.

A tag, not a context processor, so that only the pages that draw the top bar for a
signed-in person ask for the count (one cached value, core.inbox.unread_count), and
pages for anonymous visitors run no query for it at all.

A page draws the count twice (the bell, and the Menu button's badge for narrow screens):
the first tag keeps it on the request, so the page reads the cache once, and both
show the same number.
"""

from django import template

from ..inbox import unread_count

register = template.Library()


#: The attribute of the request that holds the count its page has read.
_REQUEST_ATTRIBUTE = "_inbox_unread_count"


def _bell(context) -> dict:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    request = context.get("request")
    kept = getattr(request, _REQUEST_ATTRIBUTE, None)
    if kept is not None and kept[0] == user.pk:
        return {"show": True, "unread": kept[1]}
    unread = unread_count(user=user)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, (user.pk, unread))
    return {"show": True, "unread": unread}


@register.inclusion_tag("core/partials/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell: a link to the inbox with the unread count, in the navigation."""
    return _bell(context)


@register.inclusion_tag("core/partials/_menu_badge.html", takes_context=True)
def notification_menu_badge(context) -> dict:
    """The unread count on the Menu button, for screens where the navigation (and the
    bell in it) is folded away; the Menu button is hidden on wide screens."""
    return _bell(context)
