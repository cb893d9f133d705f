"""Fixtures of the assessment tests (the rows themselves are made by helpers.py)."""

import pytest

from qashyq.assessment.tests.helpers import MFA_ROLES


@pytest.fixture
def sign_in(client, enrol_totp):
    """`sign_in(world, role)`: the test client signed in as the world's user of `role` (second factor enrolled
    for the roles that need one)."""

    def sign(world, role):
        user = world.user(role)
        if role in MFA_ROLES:
            enrol_totp(user)
        client.force_login(user)
        return client

    return sign
