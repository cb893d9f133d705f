from django.contrib.auth.models import AnonymousUser

from qashyq.accounts.data import Role
from qashyq.accounts.selectors import acting_roles, user_roles


def test_acting_roles_are_the_roles_of_an_active_account(make_user):
    user = make_user(Role.TEACHER, Role.TUTOR)
    assert acting_roles(user) == frozenset({Role.TEACHER, Role.TUTOR})


def test_nobody_anonymous_and_deactivated_accounts_act_with_no_role(make_user):
    user = make_user(Role.ADMINISTRATION, is_active=False)
    assert user_roles(user) == frozenset({Role.ADMINISTRATION})  # still shown, e.g. on the user list
    assert acting_roles(user) == frozenset()
    assert acting_roles(AnonymousUser()) == frozenset()
    assert acting_roles(None) == frozenset()
