import os

import pytest

os.environ.setdefault("QASHYQ_TESTING", "1")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate limits and used TOTP codes in the cache: no test may see another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request speaks English in tests, so messages can be asserted by their source text
    (requests still choose their language through the middleware). A request leaves its language active in the
    thread: no later test may see it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def make_user(db):
    from qashyq.accounts.tests.factories import UserFactory

    def make(*roles, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def enrol_totp():
    """Give a user a TOTP authenticator; returns a function that makes the current code."""
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP

    def enrol(user, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"):
        TOTP.activate(user, secret)
        return pyotp.TOTP(secret)

    return enrol


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Issued PDFs and uploads of a test land in its own temporary folder, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
