"""Passwords are stored with Argon2id, and older hashes are rewritten at sign-in
(docs/decisions/0008-password-hashing.md). Tests otherwise hash with MD5, for speed; these use the real list."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.test import Client, override_settings

from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"
# OWASP's first Argon2id setting: 19 MiB (19,456 KiB), 2 passes, 1 lane.
ARGON2ID = "argon2$argon2id$v=19$m=19456,t=2,p=1$"

real_hashers = override_settings(PASSWORD_HASHERS=settings.PRODUCTION_PASSWORD_HASHERS)


def _sign_in(client: Client, login: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


def _stored(user: User) -> str:
    return User.objects.values_list("password", flat=True).get(pk=user.pk)


def test_tests_hash_with_md5_and_everything_else_with_argon2id_first():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.PRODUCTION_PASSWORD_HASHERS == [
        "qashyq.accounts.hashers.Argon2idPasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]


@real_hashers
def test_a_new_password_is_hashed_with_argon2id_19_mib_2_passes_1_lane():
    encoded = make_password(TEST_PASSWORD)
    assert encoded.startswith(ARGON2ID)
    salt, digest = encoded.removeprefix(ARGON2ID).split("$")
    assert (len(salt), len(digest)) == (30, 43)  # Django's 22-character salt and a 32-byte hash, in base64
    assert check_password(TEST_PASSWORD, encoded) is True
    assert check_password("wrong-password", encoded) is False


def _stored_with(algorithm: str) -> str:
    if algorithm == "argon2-django-default":  # Django's own Argon2 settings (m=102400, t=2, p=8)
        return Argon2PasswordHasher().encode(TEST_PASSWORD, Argon2PasswordHasher().salt())
    return make_password(TEST_PASSWORD, hasher=algorithm)


@real_hashers
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("algorithm", "prefix"),
    [
        ("pbkdf2_sha256", "pbkdf2_sha256$1500000$"),
        ("pbkdf2_sha1", "pbkdf2_sha1$1500000$"),
        ("scrypt", "scrypt$"),
        ("argon2-django-default", "argon2$argon2id$v=19$m=102400,t=2,p=8$"),
    ],
)
def test_an_older_hash_is_rewritten_as_argon2id_at_sign_in(client, make_user, algorithm, prefix):
    user = make_user(Role.STUDENT, username="dana")
    User.objects.filter(pk=user.pk).update(password=_stored_with(algorithm))
    assert _stored(user).startswith(prefix)
    response = _sign_in(client, "dana")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    rewritten = _stored(user)
    assert rewritten.startswith(ARGON2ID)
    assert check_password(TEST_PASSWORD, rewritten) is True
    # Signed in on the rewritten hash: the next request is still this user's.
    assert client.get("/").url == "/dashboard/student/"


@real_hashers
@pytest.mark.django_db
def test_a_wrong_password_changes_nothing(client, make_user):
    user = make_user(Role.STUDENT, username="dana")
    User.objects.filter(pk=user.pk).update(password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256"))
    before = _stored(user)
    response = _sign_in(client, "dana", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert _stored(user) == before


@real_hashers
@pytest.mark.django_db
def test_an_argon2id_hash_is_kept_at_sign_in(client, make_user):
    user = make_user(Role.STUDENT, username="dana")
    User.objects.filter(pk=user.pk).update(password=make_password(TEST_PASSWORD))
    before = _stored(user)
    assert _stored(user).startswith(ARGON2ID)
    assert _sign_in(client, "dana").status_code == 302
    assert _stored(user) == before


@real_hashers
@pytest.mark.django_db
def test_the_rewrite_signs_the_user_out_of_sessions_opened_before_it(make_user):
    """A session is bound to the stored hash: the first sign-in after the change ends the user's older sessions,
    once; a session opened after it lives on."""
    user = make_user(Role.STUDENT, username="dana")
    User.objects.filter(pk=user.pk).update(password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256"))
    phone, laptop = Client(), Client()
    phone.force_login(User.objects.get(pk=user.pk))  # a session from before the change
    assert phone.get("/").url == "/dashboard/student/"
    assert _sign_in(laptop, "dana").status_code == 302  # rewrites the hash
    assert phone.get("/").url.startswith(LOGIN)
    assert laptop.get("/").url == "/dashboard/student/"
    assert _sign_in(phone, "dana").status_code == 302  # the hash is Argon2id now: nothing more is rewritten
    assert phone.get("/").url == "/dashboard/student/"
    assert laptop.get("/").url == "/dashboard/student/"
