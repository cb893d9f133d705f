import pytest
from django.conf import settings
from django.urls import reverse

from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.selectors import user_roles
from qashyq.audit.models import Event

SET_LANGUAGE = reverse("set_language")
PREFERENCES = reverse("accounts:preferences")
USERS = reverse("accounts:user_list")


def roles_url(user: User) -> str:
    return reverse("accounts:user_roles", kwargs={"user_id": user.pk})


@pytest.mark.django_db
class TestSetLanguage:
    @pytest.mark.parametrize("language", ["kk", "ru", "en"])
    def test_anonymous_choice_is_kept_in_a_cookie(self, client, language):
        response = client.post(SET_LANGUAGE, {"language": language, "next": "/accounts/login/"})
        assert response.status_code == 302
        assert response.url == "/accounts/login/"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
        page = client.get("/accounts/login/")
        assert f'<html lang="{language}"' in page.content.decode()

    def test_signed_in_choice_is_remembered_on_the_account(self, client, make_user):
        user = make_user(Role.STUDENT)
        client.force_login(user)
        client.post(SET_LANGUAGE, {"language": "ru"})
        user.refresh_from_db()
        assert user.language == "ru"
        fresh = type(client)()  # another browser, no cookie
        fresh.force_login(user)
        page = fresh.get(reverse("portal:dashboard", kwargs={"role": "student"}))
        assert '<html lang="ru"' in page.content.decode()

    def test_unknown_language_gets_400_and_changes_nothing(self, client, make_user):
        user = make_user(Role.STUDENT)
        client.force_login(user)
        response = client.post(SET_LANGUAGE, {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "Unknown language code “xx”." in response.content.decode()
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        user.refresh_from_db()
        assert user.language == ""

    def test_next_must_be_on_this_site(self, client):
        response = client.post(SET_LANGUAGE, {"language": "en", "next": "https://evil.example.com/"})
        assert response.url == "/"

    def test_get_is_not_allowed(self, client):
        assert client.get(SET_LANGUAGE).status_code == 405

    def test_default_language_is_kazakh(self, client):
        assert '<html lang="kk"' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
class TestPreferences:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(PREFERENCES)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    def test_get(self, client, make_user):
        client.force_login(make_user(Role.STUDENT))
        assert client.get(PREFERENCES).status_code == 200

    def test_post_saves_and_changes_the_page(self, client, make_user):
        user = make_user(Role.STUDENT)
        client.force_login(user)
        response = client.post(PREFERENCES, {"language": "en", "high_contrast": "on", "large_text": "on"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.language, user.high_contrast, user.large_text) == ("en", True, True)
        page = client.get(PREFERENCES).content.decode()
        assert 'class="qh-contrast qh-large"' in page

    def test_bad_language_changes_nothing(self, client, make_user):
        user = make_user(Role.STUDENT)
        client.force_login(user)
        response = client.post(PREFERENCES, {"language": "de", "high_contrast": "on"})
        assert response.status_code == 200
        assert response.context["form"].errors["language"]
        user.refresh_from_db()
        assert (user.language, user.high_contrast) == ("", False)


@pytest.mark.django_db
class TestUserList:
    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(USERS).status_code == 302

    @pytest.mark.parametrize("role", [r for r in Role if r != Role.IT_SUPPORT])
    def test_other_roles_get_404(self, client, make_user, role):
        client.force_login(make_user(role))
        assert client.get(USERS).status_code == 404

    def test_it_support_sees_everyone_in_a_fixed_number_of_queries(
        self, client, make_user, enrol_totp, django_assert_max_num_queries
    ):
        it = make_user(Role.IT_SUPPORT)
        enrol_totp(it)
        for i in range(30):
            make_user(Role.STUDENT if i % 2 else Role.TEACHER)
        client.force_login(it)
        client.get(USERS)  # the first request of a session also records the session itself
        with django_assert_max_num_queries(6):
            response = client.get(USERS)
        assert response.status_code == 200
        assert len(response.context["rows"]) == 31

    def test_search(self, client, make_user, enrol_totp):
        it = make_user(Role.IT_SUPPORT)
        enrol_totp(it)
        make_user(Role.STUDENT, username="zarina")
        make_user(Role.STUDENT, username="timur")
        client.force_login(it)
        response = client.get(USERS, {"q": "zari"})
        assert [u.username for u, _roles in response.context["rows"]] == ["zarina"]


@pytest.mark.django_db
class TestUserRoles:
    @pytest.fixture
    def it_client(self, client, make_user, enrol_totp):
        it = make_user(Role.IT_SUPPORT, username="it")
        enrol_totp(it)
        client.force_login(it)
        return client

    def test_get(self, it_client, make_user):
        assert it_client.get(roles_url(make_user(Role.STUDENT))).status_code == 200

    def test_post_changes_roles_and_records(self, it_client, make_user):
        target = make_user(Role.STUDENT)
        response = it_client.post(roles_url(target), {"roles": ["teacher", "tutor"], "reason": "Бұйрық №17"})
        assert response.status_code == 302
        assert user_roles(User.objects.get(pk=target.pk)) == {Role.TEACHER, Role.TUTOR}
        event = Event.objects.filter(action="accounts.roles_changed", target_id=str(target.pk)).get()
        assert event.actor_label == "it"
        assert event.after == {"roles": ["teacher", "tutor"]}

    @pytest.mark.parametrize(
        "data",
        [{"roles": ["teacher"], "reason": ""}, {"roles": ["superuser"], "reason": "forged"}],
        ids=["no reason", "forged role"],
    )
    def test_bad_input_gets_400_and_changes_nothing(self, it_client, make_user, data):
        target = make_user(Role.STUDENT)
        response = it_client.post(roles_url(target), data)
        assert response.status_code == 400
        assert response.context["form"].errors
        assert user_roles(User.objects.get(pk=target.pk)) == {Role.STUDENT}
        assert not Event.objects.filter(action="accounts.roles_changed", target_id=str(target.pk)).exists()

    def test_own_roles_and_missing_users_are_404(self, it_client, make_user):
        it = User.objects.get(username="it")
        assert it_client.get(roles_url(it)).status_code == 404
        assert it_client.get(reverse("accounts:user_roles", kwargs={"user_id": 999_999})).status_code == 404

    @pytest.mark.parametrize("role", [r for r in Role if r != Role.IT_SUPPORT])
    def test_other_roles_get_404(self, client, make_user, role):
        client.force_login(make_user(role))
        target = make_user(Role.STUDENT)
        assert client.post(roles_url(target), {"roles": ["head"], "reason": "x"}).status_code == 404
        assert user_roles(User.objects.get(pk=target.pk)) == {Role.STUDENT}
