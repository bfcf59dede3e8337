"""Who the host site says its signed-in user is, and whether the widget's secret vouches for it (as Chatwoot's
identifier_hash): the site signs its user's id with HMAC-SHA256 under the widget's secret, on its own server.

    hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()

Only the id is signed: the name and email come along for display and for answers by email, and are taken as the
site gives them once the id is verified. Without a valid signature nothing the site passed is used.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from domain.errors import PermissionDenied
from domain.text import storable

EXTERNAL_ID_MAX, NAME_MAX, EMAIL_MAX = 255, 80, 254
REFUSED = 'This site could not confirm who you are, so you chat as a guest.'


class UnverifiedIdentity(PermissionDenied):
    """The host site passed a user whose signature is missing or wrong (a forged or stale one): never trusted."""


@dataclass(frozen=True)
class HostIdentity:
    """What the host page passed: its user's id, name and email, and the id's HMAC-SHA256 in hex."""

    external_id: str
    name: str = ''
    email: str = ''
    signature: str = ''

    def bounded(self) -> HostIdentity:
        return HostIdentity(storable(self.external_id).strip(), storable(self.name).strip()[:NAME_MAX],
                            storable(self.email).strip()[:EMAIL_MAX], self.signature.strip().lower()[:128])


def signature(secret: str, external_id: str) -> str:
    """The HMAC-SHA256 of `external_id` under `secret`, in hex: what the host site's server computes."""
    return hmac.new(secret.encode(), external_id.encode(), hashlib.sha256).hexdigest()


def verified(secret: str, identity: HostIdentity) -> HostIdentity:
    """The identity, bounded, if its signature is right; UnverifiedIdentity otherwise. Compared in constant time."""
    identity = identity.bounded()
    if not identity.external_id or len(identity.external_id) > EXTERNAL_ID_MAX or not identity.signature:
        raise UnverifiedIdentity(REFUSED)
    expected = signature(secret, identity.external_id).encode()
    if not hmac.compare_digest(expected, identity.signature.encode('utf-8', 'replace')):
        raise UnverifiedIdentity(REFUSED)
    return identity
