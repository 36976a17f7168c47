"""People's choices of how they receive each kind of e-mail, and one-click unsubscribe.

`delivery_for` is what `core.emails.email_enqueue_message` asks before queueing a
message: immediately, held for the weekly digest (core.digest), or off. The
preference page (accounts) and the unsubscribe link (core.views.unsubscribe) write
through `preferences_save` and `unsubscribe`, each audited.

Unsubscribe tokens are signed (django.core.signing, with their own salt) and carry
the person's public id and the kind: nobody can make one for another person or
another kind without the SECRET_KEY, and a token changed by one character is
refused. They do not expire: an e-mail stays in a mailbox for years, a link that
stops working sends people to the "report spam" button instead, and the only thing
a token can do is turn one kind of notice off for its own person, which they can
undo on the preference page. Rotating SECRET_KEY (with SECRET_KEY_FALLBACKS for a
grace period) retires every link at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction

from .audit import audit_record
from .models import Delivery, NotificationPreference
from .notification_kinds import DIGEST, EmailKind, kind_get, optional_kinds

#: The signing salt of unsubscribe tokens: a signature made for anything else (a
#: session, a password reset) is no unsubscribe token.
UNSUBSCRIBE_SALT = "core.notifications.unsubscribe"


def delivery_for(user: Any, kind: str) -> str:
    """How `user` receives e-mails of `kind`: a Delivery value.

    Kinds that cannot be turned off (account and security) and addresses that are
    nobody's account are always IMMEDIATELY.
    """
    if user is None or not kind_get(kind).optional:
        return Delivery.IMMEDIATELY
    stored = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return stored or Delivery.IMMEDIATELY


def preferences_of(user: Any) -> dict[str, str]:
    """kind key -> Delivery for every optional kind (IMMEDIATELY where nothing is stored)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: stored.get(kind.key, Delivery.IMMEDIATELY) for kind in optional_kinds()}


@transaction.atomic
def preferences_save(
    *, user: Any, choices: dict[str, str], actor: Any = None, via: str = "settings page"
) -> dict[str, str]:
    """Store `choices` (kind key -> Delivery) for `user`; returns what changed.

    Only optional kinds are accepted (ValueError otherwise: the form offers no
    others). One audit row lists the changes; nothing is written when nothing changed.
    """
    current = preferences_of(user)
    changed = {}
    for key, delivery in choices.items():
        if key not in current or delivery not in Delivery.values:
            raise ValueError(f"Cannot set {key!r} to {delivery!r}.")
        if current[key] != delivery:
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, defaults={"delivery": delivery}
            )
            changed[key] = delivery
    if changed:
        audit_record(
            actor=actor,
            verb="notification_preference.changed",
            target=user,
            program=None,
            data={"changes": changed, "via": via},
        )
    return changed


# --- one-click unsubscribe -----------------------------------------------------------


def unsubscribe_token(user: Any, kind: str) -> str:
    """The signed token of `user`'s unsubscribe link for `kind` (or DIGEST)."""
    # A Signer, not signing.dumps (a TimestampSigner): no expiry, so no timestamp, and
    # the same person and kind always get the same link.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": str(user.public_id), "k": kind})


@dataclass(frozen=True)
class Unsubscription:
    """What an unsubscribe link stands for: whose e-mails, of which kind, and which
    kinds it turns off (for the digest: every kind the person gets in the digest)."""

    user: Any
    kind: EmailKind
    turns_off: tuple[EmailKind, ...]

    @property
    def already_off(self) -> bool:
        return not self.turns_off


def unsubscription_from_token(token: str) -> Unsubscription | None:
    """The unsubscription a token names, or None when it is not one of ours (forged,
    truncated, for a kind that cannot be turned off, for a person who is gone)."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        user_id, key = data["u"], data["k"]
        kind = kind_get(key)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if kind.key != DIGEST and not kind.optional:
        return None
    user = get_user_model().objects.filter(public_id=user_id, is_active=True).first()
    if user is None:
        return None
    current = preferences_of(user)
    if kind.key == DIGEST:
        keys = [k for k, delivery in current.items() if delivery == Delivery.DIGEST]
    else:
        keys = [kind.key] if current[kind.key] != Delivery.OFF else []
    return Unsubscription(user=user, kind=kind, turns_off=tuple(kind_get(k) for k in keys))


def unsubscribe(unsubscription: Unsubscription) -> dict[str, str]:
    """Turn off what the link stands for (idempotent); returns what changed."""
    return preferences_save(
        user=unsubscription.user,
        choices={kind.key: Delivery.OFF for kind in unsubscription.turns_off},
        via=f"unsubscribe link ({unsubscription.kind.key})",
    )


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 headers: the link, and the signal that a POST to it unsubscribes."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
