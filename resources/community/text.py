"""The board's text: plain words, never markup, with web links made clickable, and the
people a message mentions.

People write on the board as they would in an e-mail. Nothing they type is
interpreted: it is escaped, line breaks are kept, and only http and https addresses
become links (rel="nofollow"); `javascript:` and every other scheme, bare domains and
e-mail addresses stay text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import Urlizer, linebreaks
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User


class _WebLinksOnly(Urlizer):
    """Django's urlize, restricted to http:// and https:// addresses."""

    simple_url_2_re = re.compile(r"(?!)")  # no "www." or bare-domain links

    @staticmethod
    def is_email_simple(value: str) -> bool:
        return False  # no mailto: links (an @mention looks like an address)


_urlize = _WebLinksOnly()


def plain_text_html(text: str) -> SafeString:
    """`text` escaped, in paragraphs, with its http(s) links clickable."""
    linked = _urlize(text or "", nofollow=True, autoescape=True)  # every piece escaped
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308 - escaped above


def mentioned(text: str, *, people: Iterable[User]) -> list[User]:
    """The people among `people` that `text` mentions as "@Full Name" or "@e-mail"
    (any case; the name must end there, so "@Ana Lee" does not mention "Ana Leeds")."""
    lowered = (text or "").lower()
    if "@" not in lowered:
        return []
    found = []
    for person in people:
        handles = [person.email.lower()]
        if person.full_name.strip():
            handles.append(person.full_name.strip().lower())
        for handle in handles:
            if re.search(rf"@{re.escape(handle)}(?![\w@.-]*\w)", lowered):
                found.append(person)
                break
    return found
