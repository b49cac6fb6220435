"""Who is asking: the client's address, as the front server saw it.

One answer for every part of the site that counts clients (rate limits, downloads counted once
per visitor and day).
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind a proxy the address in CLIENT_IP_HEADER
    that the CLIENT_IP_PROXY_COUNT-th proxy from us wrote (the right-most entries of
    X-Forwarded-For come from the proxies we trust, the left-most from the client: not
    trusted). A missing or malformed header falls back on REMOTE_ADDR."""
    header = settings.CLIENT_IP_HEADER
    if header:
        values = [value.strip() for value in request.META.get(header, "").split(",")]
        count = max(1, settings.CLIENT_IP_PROXY_COUNT)
        if len(values) >= count:
            candidate = values[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
