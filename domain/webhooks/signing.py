"""How deliveries are signed, and the recipe receivers follow to check them (shown on the page and in the API).

`X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`.
A receiver recomputes the HMAC over the raw body and refuses a timestamp older than a few minutes: a recorded
delivery replayed later then fails, although its signature is genuine.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = 'X-Switchboard-Signature'
DELIVERY_HEADER = 'X-Switchboard-Delivery'
EVENT_HEADER = 'X-Switchboard-Event'
TOLERANCE = 300  # seconds a receiver following the recipe accepts

# The receiver's side, in ten lines; tests/domain/test_webhooks_signing.py runs this very text.
VERIFIER = '''import hashlib, hmac, time

def verify(secret: str, body: bytes, header: str, tolerance: int = 300) -> bool:
    """True if X-Switchboard-Signature `header` signs `body` with `secret` and is recent."""
    parts = dict(item.split('=', 1) for item in header.split(',') if '=' in item)
    timestamp, signature = parts.get('t', ''), parts.get('v1', '')
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old (a replay) or from the future
    expected = hmac.new(secret.encode(), timestamp.encode() + b'.' + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
'''


def signature(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The X-Switchboard-Signature header's value for `body`, signed now (or at `timestamp`)."""
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), str(moment).encode() + b'.' + body, hashlib.sha256).hexdigest()
    return f't={moment},v1={digest}'
