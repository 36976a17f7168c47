"""Fixtures of the team tests: signed-in clients and the personas tenant A lacks."""

import html
import re
from urllib.parse import urlparse

from django.core import mail

from tests.conftest import HIDDEN_PERSONAS, VISIBLE_PERSONAS  # noqa: F401 - re-exported
from tests.factories import client_for  # noqa: F401 - re-exported


def last_mail_link() -> str:
    """The path of the invitation link in the newest e-mail of the test outbox."""
    body = mail.outbox[-1].body
    url = re.search(r"https?://\S+/invitations/\S+/", body).group(0)
    return urlparse(url).path


def page_text(response) -> str:
    """The response's HTML with entities decoded, to compare with the words people read."""
    return html.unescape(response.content.decode())
