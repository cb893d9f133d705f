"""The client's address, as the lockout and the audit ledger see it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str:
    """REMOTE_ADDR, or behind QASHYQ_TRUSTED_PROXIES proxies, the address the nearest of them saw.

    Each trusted proxy (nginx) appends the address it received from to X-Forwarded-For, so the
    client is the entry that many places from the right; anything further left is client-supplied.
    """
    if request is None:
        return ""
    proxies = settings.QASHYQ_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
