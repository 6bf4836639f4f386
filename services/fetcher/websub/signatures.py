"""``X-Hub-Signature``: the HMAC a hub computes over each delivery with the subscription's secret.

WebSub §8: ``X-Hub-Signature: method=signature``, the method one of sha1,
sha256, sha384 or sha512, the signature the hex HMAC of the raw body. The
comparison takes constant time, so a forger learns nothing from timing.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

METHODS = frozenset({"sha1", "sha256", "sha384", "sha512"})

Verdict = Literal["valid", "unsigned", "malformed", "mismatch"]
"""``unsigned``: no header; ``malformed``: not ``method=hex`` with a known method;
``mismatch``: well formed, but not this body signed with this secret."""


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    """The header value a hub sends for `body` (used by tests and tools)."""
    digest = hmac.new(secret.encode(), body, method).hexdigest()
    return f"{method}={digest}"


def check(secret: str, body: bytes, header: str | None) -> Verdict:
    """Whether `header` is the signature of `body` under `secret`."""
    if header is None or not header.strip():
        return "unsigned"
    method, _, given = header.strip().partition("=")
    method = method.strip().lower()
    if method not in METHODS or not given:
        return "malformed"
    expected = hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()
    given_bytes = given.strip().lower().encode("utf-8", "replace")
    return "valid" if hmac.compare_digest(expected.encode(), given_bytes) else "mismatch"
