"""PostgreSQL plans a query that a connection runs again once, not on every request
(docs/decisions/0011-prepared-statements.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

User = get_user_model()

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_a_query_run_twice_is_prepared_with_its_parameters_bound_by_the_server():
    user = User.objects.create_user(username="prepared", email="prepared@example.kz", password="x")
    for _ in range(3):
        assert User.objects.filter(pk=user.pk).values_list("username", flat=True).first() == "prepared"

    prepared = [sql for sql in _prepared() if '"accounts_user"."username"' in sql and "LIMIT" in sql]
    assert len(prepared) == 1
    assert "$1" in prepared[0]  # one statement for every user id: the id is a parameter, not in the text
    other = User.objects.create_user(username="other", email="other@example.kz", password="x")
    assert User.objects.filter(pk=other.pk).values_list("username", flat=True).first() == "other"
    assert len([sql for sql in _prepared() if '"accounts_user"."username"' in sql and "LIMIT" in sql]) == 1
