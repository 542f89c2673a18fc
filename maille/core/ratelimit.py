"""How often one client may use a public form: a fixed-window count in the cache.

A public page with no login (a guest's booking) counts each attempt under a
key — the client's address (``core.auth.client_ip``, which reads through the
trusted proxies) — for a window of seconds; past the limit the page refuses
until the window ends. Keys are hashed (an address or an email is not a valid
key for every cache backend).

The count lives in Django's default cache: with the local-memory cache each
process counts alone (a limit of 10 an hour across 3 workers lets up to 30
through), a shared cache (database, Redis) makes it one count. It slows a
script down; it is not a security boundary.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from maille.core.auth import client_ip


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt of ``key`` in ``scope``; True when it is over ``limit``
    attempts in the current window of ``window`` seconds."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    name = f"ratelimit:{scope}:{digest}:{bucket}"
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # the window ended between add and incr
        cache.set(name, 1, timeout=window)
        count = 1
    return count > limit


def client_rate_limited(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """``rate_limited`` for the client's address."""
    return rate_limited(scope=scope, key=client_ip(request), limit=limit, window=window)
