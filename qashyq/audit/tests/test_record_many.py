"""Several events of one actor appended in one write (record_many): the chain as one by one, in order."""

import pytest

from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.audit.tests.helpers import LEDGER_LOCK

pytestmark = pytest.mark.django_db


def test_events_are_chained_in_their_order_and_the_ledger_verifies(make_user):
    user = make_user(username="aigerim")
    first = audit_api.record(actor=None, action="test.one", target=("test.thing", 1), after={"n": 1})
    entries = [
        {"action": "test.many", "target": ("test.thing", n), "before": {"n": n - 1}, "after": {"n": n}, "reason": "r"}
        for n in range(2, 7)
    ]
    seqs = audit_api.record_many(actor=user, entries=entries, ip="10.0.0.1")
    assert seqs == [first + n for n in range(1, 6)]
    events = list(Event.objects.filter(seq__gt=first).order_by("seq"))
    assert [(e.target_id, e.before, e.after, e.reason, e.ip) for e in events] == [
        (str(n), {"n": n - 1}, {"n": n}, "r", "10.0.0.1") for n in range(2, 7)
    ]
    assert {(e.actor_id, e.actor_label) for e in events} == {(user.pk, user.get_username())}
    previous = Event.objects.get(seq=first)
    for event in events:
        assert event.prev_hash == previous.hash
        previous = event
    assert audit_api.verify().ok


def test_many_events_take_the_queries_of_one(django_assert_num_queries):
    entries = [{"action": "test.many", "target": ("test.thing", n)} for n in range(40)]
    with django_assert_num_queries(4 + LEDGER_LOCK) as one:
        audit_api.record_many(actor=None, entries=entries[:1])
    with django_assert_num_queries(len(one.captured_queries)):
        audit_api.record_many(actor=None, entries=entries)
    assert audit_api.record_many(actor=None, entries=[]) == []
    assert Event.objects.count() == 41
    assert audit_api.verify().ok
