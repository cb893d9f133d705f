"""Fixtures of the coursework tests (the rows themselves are made by helpers.py)."""

import pytest

from qashyq.coursework.tests.helpers import MFA_ROLES, World, coursework_world


@pytest.fixture
def world(db) -> World:
    return coursework_world()


@pytest.fixture
def sign_in(client, enrol_totp):
    """`sign_in(user_or_world, role=None)`: the test client signed in as that user (second factor enrolled for the
    roles that need one)."""

    def sign(who, role=None):
        user = who.user(role) if role is not None else who
        if role in MFA_ROLES or (role is None and _needs_mfa(user)):
            enrol_totp(user)
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages are asserted by their source text
        return client

    return sign


def _needs_mfa(user) -> bool:
    names = set(user.groups.values_list("name", flat=True))
    return bool(names & {"administration", "head", "it_support"})
