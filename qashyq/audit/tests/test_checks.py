"""Consistency checks that apps register with `manage.py audit_verify`, and the last `after` per target."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from qashyq.audit import api as audit_api


@pytest.fixture
def checks(monkeypatch):
    """Only the checks a test registers (the apps' own ones are put back afterwards)."""
    registry: dict = {}
    monkeypatch.setattr(audit_api, "_CHECKS", registry)
    return registry


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_every_registered_check_runs_after_the_chain(checks, capsys):
    calls = []
    audit_api.register_check("b.second", lambda: calls.append("b") or [])
    audit_api.register_check("a.first", lambda: calls.append("a") or [])
    call_command("audit_verify")
    assert calls == ["a", "b"]
    out = capsys.readouterr().out
    assert "Check “a.first”: no problems." in out
    assert "Check “b.second”: no problems." in out


@pytest.mark.django_db
def test_a_check_with_problems_fails_the_command_naming_each(checks, capsys):
    audit_api.register_check("x.fine", list)
    audit_api.register_check("x.broken", lambda: ["Row 7 differs.", "Row 9 has no event."])
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert str(caught.value) == "Check “x.broken” found 2 problems:\n- Row 7 differs.\n- Row 9 has no event."
    assert "Check “x.fine”: no problems." in capsys.readouterr().out


@pytest.mark.django_db
def test_registering_a_name_again_replaces_its_check(checks):
    audit_api.register_check("x.check", lambda: ["old"])
    audit_api.register_check("x.check", list)
    assert audit_api.checks_run() == [("x.check", [])]


@pytest.mark.django_db
def test_latest_after_gives_the_last_after_per_target_in_one_query(django_assert_num_queries):
    audit_api.record(actor=None, action="t.one", target=("t.row", 1), after={"v": 1})
    audit_api.record(actor=None, action="t.two", target=("t.row", 2), after={"v": 20})
    audit_api.record(actor=None, action="t.one", target=("t.row", 1), after={"v": 2})
    audit_api.record(actor=None, action="t.other", target=("t.other", 1), after={"v": 99})
    with django_assert_num_queries(1):
        latest = audit_api.latest_after(target_type="t.row")
    assert latest == {"1": {"v": 2}, "2": {"v": 20}}
    assert audit_api.latest_after(target_type="t.none") == {}
