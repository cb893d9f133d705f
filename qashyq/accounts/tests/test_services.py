import pytest
from django.core.exceptions import ValidationError

from qashyq.accounts import services
from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.selectors import user_roles
from qashyq.audit.models import Event


def _events(action: str, user: User) -> list[Event]:
    return list(Event.objects.filter(action=action, target_id=str(user.pk)).order_by("seq"))


@pytest.mark.django_db
class TestRolesSync:
    def test_each_role_is_a_group_with_its_permissions(self):
        from django.contrib.auth.models import Group

        services.roles_sync()
        groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
        assert set(Role.values) <= set(groups)
        perms = {
            g: {f"{p.content_type.app_label}.{p.codename}" for p in groups[g].permissions.all()} for g in Role.values
        }
        assert perms["it_support"] == {
            "accounts.view_it_support_dashboard",
            "accounts.manage_roles",
            "audit.view_event",
        }
        assert perms["student"] == {"accounts.view_student_dashboard"}
        assert perms["head"] == {"accounts.view_head_dashboard", "audit.view_event"}

    def test_is_idempotent(self):
        from django.contrib.auth.models import Group

        services.roles_sync()
        services.roles_sync()
        assert Group.objects.filter(name__in=Role.values).count() == len(Role)


@pytest.mark.django_db
class TestUserCreate:
    def test_creates_and_records(self):
        actor = User.objects.create(username="it")
        user = services.user_create(
            username="aruzhan",
            email="aruzhan@example.kz",
            password="Aruzhan-2026-pass",
            first_name="Аружан",
            last_name="Қасымова",
            iin="040517501237",
            roles=[Role.STUDENT, Role.TUTOR],
            actor=actor,
        )
        assert user.check_password("Aruzhan-2026-pass")
        assert user_roles(User.objects.get(pk=user.pk)) == {Role.STUDENT, Role.TUTOR}
        created = _events("accounts.user_created", user)
        assert [(e.actor_id, e.after) for e in created] == [(actor.pk, {"username": "aruzhan"})]
        roles = _events("accounts.roles_changed", user)
        assert [(e.before, e.after) for e in roles] == [({"roles": []}, {"roles": ["student", "tutor"]})]

    def test_a_wrong_iin_changes_nothing(self):
        before = (User.objects.count(), Event.objects.count())
        with pytest.raises(ValidationError) as caught:
            services.user_create(username="x", email=None, password=None, iin="040517501238")
        assert "iin" in caught.value.message_dict
        assert (User.objects.count(), Event.objects.count()) == before


@pytest.mark.django_db
class TestUserRolesSet:
    def test_records_before_and_after(self, make_user):
        actor, user = make_user(Role.IT_SUPPORT), make_user(Role.STUDENT)
        services.user_roles_set(actor=actor, user=user, roles=[Role.TEACHER, Role.TUTOR], reason="Бұйрық №5")
        assert user_roles(User.objects.get(pk=user.pk)) == {Role.TEACHER, Role.TUTOR}
        (event,) = _events("accounts.roles_changed", user)
        assert (event.actor_id, event.before, event.after, event.reason) == (
            actor.pk,
            {"roles": ["student"]},
            {"roles": ["teacher", "tutor"]},
            "Бұйрық №5",
        )

    def test_no_change_records_nothing(self, make_user):
        user = make_user(Role.STUDENT)
        services.user_roles_set(actor=None, user=user, roles=[Role.STUDENT], reason="same")
        assert _events("accounts.roles_changed", user) == []

    def test_reason_is_required(self, make_user):
        user = make_user(Role.STUDENT)
        with pytest.raises(ValidationError):
            services.user_roles_set(actor=None, user=user, roles=[Role.HEAD], reason="  ")
        assert user_roles(User.objects.get(pk=user.pk)) == {Role.STUDENT}
        assert _events("accounts.roles_changed", user) == []

    def test_unknown_role_changes_nothing(self, make_user):
        user = make_user(Role.STUDENT)
        with pytest.raises(ValueError, match="superuser"):
            services.user_roles_set(actor=None, user=user, roles=["superuser"], reason="x")
        assert user_roles(User.objects.get(pk=user.pk)) == {Role.STUDENT}


@pytest.mark.django_db
class TestPreferences:
    def test_saves(self, make_user):
        user = make_user()
        services.user_preferences_update(user=user, language="ru", high_contrast=True, large_text=True)
        user.refresh_from_db()
        assert (user.language, user.high_contrast, user.large_text) == ("ru", True, True)

    def test_unknown_language_changes_nothing(self, make_user):
        user = make_user()
        with pytest.raises(ValidationError, match="xx"):
            services.user_preferences_update(user=user, language="xx", high_contrast=True)
        user.refresh_from_db()
        assert (user.language, user.high_contrast) == ("", False)
