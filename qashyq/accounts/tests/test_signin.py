"""Sign-in, MFA, lockout and sign-out: what a person sees and what the ledger records."""

import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from qashyq.accounts.data import Role
from qashyq.accounts.tests.factories import TEST_PASSWORD
from qashyq.audit.models import Event

LOGIN = "/accounts/login/"
MFA_AUTHENTICATE = "/accounts/2fa/authenticate/"


def _sign_in(client, login, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"login": login, "password": password}, **extra)


def _reauthenticate(client, password=TEST_PASSWORD):
    assert client.post(reverse("account_reauthenticate"), {"password": password}).status_code == 302


def _actions(since: int) -> list[str]:
    return list(Event.objects.filter(seq__gt=since).order_by("seq").values_list("action", flat=True))


def _last_seq() -> int:
    last = Event.objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.mark.django_db
class TestPasswordSignIn:
    def test_by_username_lands_on_the_role_dashboard(self, client, make_user):
        make_user(Role.STUDENT, username="dana")
        seq = _last_seq()
        response = _sign_in(client, "dana")
        assert response.status_code == 302
        assert client.get(response.url).url == reverse("portal:dashboard", kwargs={"role": "student"})
        assert "accounts.signed_in" in _actions(seq)

    def test_by_email(self, client, make_user):
        make_user(Role.TEACHER, username="saule", email="saule@example.kz")
        response = _sign_in(client, "saule@example.kz")
        assert response.status_code == 302
        assert client.get("/").url == reverse("portal:dashboard", kwargs={"role": "teacher"})

    @pytest.mark.parametrize("login", ["dana", "nobody-here"])
    def test_wrong_password_or_unknown_user_gets_one_translated_message(self, client, make_user, login):
        make_user(Role.STUDENT, username="dana")
        seq = _last_seq()
        response = _sign_in(client, login, "wrong-password", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "The username and/or password you specified are not correct." in response.content.decode()
        assert "_auth_user_id" not in client.session
        failed = Event.objects.filter(seq__gt=seq, action="accounts.sign_in_failed")
        assert [e.after["login"] for e in failed] == [login]

    def test_five_failures_lock_the_account(self, client, make_user):
        make_user(Role.STUDENT, username="dana")
        for _ in range(5):
            _sign_in(client, "dana", "wrong-password")
        seq = _last_seq()
        response = _sign_in(client, "dana", HTTP_ACCEPT_LANGUAGE="en")  # right password, but locked
        assert response.status_code == 429
        assert "Too many failed sign-in attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert "accounts.signed_in" not in _actions(seq)

    def test_lockout_message_is_translated(self, client, make_user):
        make_user(Role.STUDENT, username="dana")
        for _ in range(6):
            response = _sign_in(client, "dana", "wrong-password", HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 429
        assert '<html lang="ru"' in response.content.decode()

    def test_sign_out_is_recorded(self, client, make_user):
        user = make_user(Role.STUDENT)
        client.force_login(user)
        seq = _last_seq()
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert _actions(seq) == ["accounts.signed_out"]

    def test_sign_up_is_closed(self, client):
        response = client.get("/accounts/signup/")
        assert response.status_code == 200
        assert b'name="password1"' not in response.content


@pytest.mark.django_db
class TestMfa:
    def test_totp_sign_in(self, client, make_user, enrol_totp):
        user = make_user(Role.HEAD, username="rector")
        totp = enrol_totp(user)
        response = _sign_in(client, "rector")
        assert response.url == MFA_AUTHENTICATE
        assert "_auth_user_id" not in client.session
        response = client.post(MFA_AUTHENTICATE, {"code": totp.now()})
        assert response.status_code == 302
        assert client.get("/").url == reverse("portal:dashboard", kwargs={"role": "head"})

    def test_expired_code_is_refused_and_recorded(self, client, make_user, enrol_totp):
        user = make_user(Role.HEAD, username="rector")
        totp = enrol_totp(user)
        _sign_in(client, "rector")
        seq = _last_seq()
        old = totp.at(time.time() - 10 * 30)
        response = client.post(MFA_AUTHENTICATE, {"code": old}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "Incorrect code." in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert _actions(seq) == ["accounts.mfa_failed"]

    def test_a_recovery_code_works_once(self, client, make_user, enrol_totp):
        user = make_user(Role.HEAD, username="rector")
        enrol_totp(user)
        codes = RecoveryCodes.activate(user)
        code = codes.get_unused_codes()[0]
        _sign_in(client, "rector")
        assert client.post(MFA_AUTHENTICATE, {"code": code}).status_code == 302
        client.post("/accounts/logout/")
        _sign_in(client, "rector")
        response = client.post(MFA_AUTHENTICATE, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "Incorrect code." in response.content.decode()
        assert "_auth_user_id" not in client.session

    @pytest.mark.parametrize("role", [Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT])
    def test_required_roles_must_enrol_first(self, client, make_user, role):
        make_user(role, username="boss")
        _sign_in(client, "boss")
        response = client.get(reverse("portal:dashboard", kwargs={"role": role.value}))
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
        # Just signed in with the password: the set-up page opens without asking for it again.
        assert client.get(reverse("mfa_activate_totp")).status_code == 200

    def test_others_adding_a_factor_confirm_their_password(self, client, make_user):
        make_user(Role.STUDENT, username="dana")
        _sign_in(client, "dana")
        assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
        _reauthenticate(client)
        assert client.get(reverse("mfa_activate_totp")).status_code == 200

    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.DIDACTICS])
    def test_other_roles_may_go_without(self, client, make_user, role):
        client.force_login(make_user(role))
        assert client.get(reverse("portal:dashboard", kwargs={"role": role.value})).status_code == 200

    def test_enrolling_totp_is_recorded(self, client, make_user, django_capture_on_commit_callbacks):
        user = make_user(Role.HEAD, username="boss")
        _sign_in(client, "boss")
        page = client.get(reverse("mfa_activate_totp"))
        secret = page.context["form"].secret
        seq = _last_seq()
        with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
            response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert "accounts.mfa_added" in _actions(seq)
        assert client.get(reverse("portal:dashboard", kwargs={"role": "head"})).status_code == 200

    def test_required_roles_cannot_remove_their_last_factor(self, client, make_user, enrol_totp):
        user = make_user(Role.HEAD)
        enrol_totp(user)
        client.force_login(user)
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        from qashyq.accounts.adapter import MFAAdapter

        assert MFAAdapter().can_delete_authenticator(authenticator) is False
        student = make_user(Role.STUDENT)
        enrol_totp(student)
        own = Authenticator.objects.get(user=student, type=Authenticator.Type.TOTP)
        assert MFAAdapter().can_delete_authenticator(own) is True


@pytest.mark.django_db
def test_security_page_offers_totp_and_security_keys(client, make_user):
    make_user(Role.STUDENT, username="dana")
    _sign_in(client, "dana")
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("mfa_activate_totp") in html
    assert reverse("mfa_add_webauthn") in html
    _reauthenticate(client)
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200


@pytest.mark.django_db
def test_sessions_page_signs_out_other_sessions(client, make_user):
    from django.test import Client

    make_user(Role.STUDENT, username="dana")
    other = Client()
    _sign_in(other, "dana")
    _sign_in(client, "dana")
    assert client.get(reverse("usersessions_list")).status_code == 200
    assert other.get("/").status_code == 302
    assert other.get("/").url.startswith("/dashboard/")
    response = client.post(reverse("usersessions_list"), {"action": "logout"})
    assert response.status_code == 302
    assert other.get("/").url.startswith(reverse("account_login"))
    assert client.get("/").url.startswith("/dashboard/")
