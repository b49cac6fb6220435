"""Who is asking: the client's address, as the front server saw it."""

from django.conf import settings


def client_address(request):
    """The client's IP address.

    Behind a front server, every request reaches Django from the front server's own address:
    `CLIENT_ADDRESS_HEADER` then names the header in which the front server puts the client's
    (nginx: `proxy_set_header X-Real-IP $remote_addr;` and `X-Real-IP`). Without it, the
    address of the connection.
    """
    header = getattr(settings, "CLIENT_ADDRESS_HEADER", "")
    if header:
        value = request.headers.get(header, "").strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR", "")
