import pytest
from django.urls import reverse

from qashyq.accounts.data import Role
from qashyq.audit.models import Event
from qashyq.portal.navigation import nav_items_for
from qashyq.portal.selectors import landing_role

MFA_ROLES = {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT}


def dashboard_url(role: Role | str) -> str:
    return reverse("portal:dashboard", kwargs={"role": str(role)})


@pytest.fixture
def signed_in(client, make_user, enrol_totp):
    def sign_in(*roles):
        user = make_user(*roles)
        if MFA_ROLES & set(roles):
            enrol_totp(user)
        client.force_login(user)
        return user

    return sign_in


@pytest.mark.django_db
class TestHome:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    @pytest.mark.parametrize("role", list(Role))
    def test_lands_on_the_role_dashboard(self, client, signed_in, role):
        signed_in(role)
        assert client.get("/").url == dashboard_url(role)

    def test_several_roles_land_on_the_first_in_order(self, client, signed_in):
        signed_in(Role.STUDENT, Role.TUTOR, Role.TEACHER)
        assert client.get("/").url == dashboard_url(Role.TEACHER)

    def test_no_role(self, client, signed_in):
        signed_in()
        response = client.get("/")
        assert response.status_code == 200
        assert "portal/no_role.html" in [t.name for t in response.templates]


@pytest.mark.django_db
class TestDashboard:
    # The session for everyone (user and roles cached); the MFA check's authenticators for the
    # roles that need a second factor; the DLT panel's two counts (head, administration); the student's DLT
    # study (one); accounts per role and the audit ledger (head, IT support).
    @pytest.mark.parametrize(
        ("role", "queries"),
        [
            (Role.STUDENT, 2),
            (Role.TEACHER, 1),
            (Role.TUTOR, 1),
            (Role.ADMINISTRATION, 4),
            (Role.DIDACTICS, 1),
            (Role.IT_SUPPORT, 4),
            (Role.HEAD, 6),
        ],
    )
    def test_holder_sees_it_in_a_fixed_number_of_queries(
        self, client, signed_in, role, queries, django_assert_num_queries
    ):
        signed_in(role)
        client.get(dashboard_url(role))
        with django_assert_num_queries(queries):
            response = client.get(dashboard_url(role))
        assert response.status_code == 200
        assert response.context["role"] == role

    @pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.HEAD])
    def test_others_get_404(self, client, signed_in, role):
        signed_in(Role.TUTOR)
        assert client.get(dashboard_url(role)).status_code == 404

    def test_unknown_role_is_404(self, client, signed_in):
        signed_in(Role.STUDENT)
        assert client.get(dashboard_url("superuser")).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(dashboard_url(Role.STUDENT)).status_code == 302

    def test_head_sees_accounts_per_role_and_the_ledger(self, client, signed_in, make_user):
        signed_in(Role.HEAD)
        make_user(Role.STUDENT)
        make_user(Role.STUDENT)
        make_user(Role.STUDENT, is_active=False)
        response = client.get(dashboard_url(Role.HEAD))
        counts = dict(response.context["role_counts"])
        assert counts[Role.STUDENT.label] == 2
        assert counts[Role.HEAD.label] == 1
        # The head's sign-in wrote one event; the dashboard reports the ledger's length.
        assert response.context["ledger"]["events"] == Event.objects.count() >= 1

    def test_navigation_shows_only_what_the_role_may_use(self, client, signed_in):
        signed_in(Role.STUDENT)
        page = client.get(dashboard_url(Role.STUDENT)).content.decode()
        assert dashboard_url(Role.STUDENT) in page
        assert reverse("accounts:user_list") not in page
        assert dashboard_url(Role.HEAD) not in page


class TestNavigation:
    def test_each_role_sees_its_own_dashboard_only(self):
        for role in Role:
            urls = {item.url for item in nav_items_for(frozenset({role}))}
            assert dashboard_url(role) in urls
            assert not {dashboard_url(r) for r in Role if r != role} & urls

    def test_only_it_support_sees_users_and_roles(self):
        for role in Role:
            urls = {item.url for item in nav_items_for(frozenset({role}))}
            assert (reverse("accounts:user_list") in urls) is (role == Role.IT_SUPPORT)

    def test_landing_role(self):
        assert landing_role(frozenset()) is None
        assert landing_role(frozenset({Role.STUDENT, Role.HEAD})) == Role.HEAD
