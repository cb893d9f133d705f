import hashlib
import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import translation

from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.audit.rules import GENESIS_HASH


def _reference_hash(prev_hash: str, event: Event) -> str:
    """The published formula, written out independently of qashyq.audit.rules."""
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "ip": event.ip,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_update_delete ON audit_event")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")


@pytest.mark.django_db
class TestRecord:
    def test_links_each_event_to_the_one_before(self, make_user):
        user = make_user(username="aigerim")
        first = audit_api.record(actor=user, action="test.created", target=("records.student", 7), after={"a": 1})
        second = audit_api.record(
            actor=None, action="test.changed", target=user, before={"a": 1}, after={"a": 2}, reason="Бұйрық №12"
        )
        e1, e2 = Event.objects.get(seq=first), Event.objects.get(seq=second)
        assert second == first + 1
        assert e2.prev_hash == e1.hash
        assert e2.hash == _reference_hash(e1.hash, e2)
        assert (e1.actor_id, e1.actor_label, e1.target_type, e1.target_id) == (
            user.pk,
            "aigerim",
            "records.student",
            "7",
        )
        assert (e2.actor_id, e2.actor_label, e2.target_type, e2.target_id) == (
            None,
            "system",
            "accounts.user",
            str(user.pk),
        )
        assert e2.reason == "Бұйрық №12"
        assert e2.before == {"a": 1}
        assert e2.after == {"a": 2}

    def test_first_event_links_to_genesis(self):
        if Event.objects.exists():
            pytest.skip("the ledger already holds events from earlier transactional tests")
        seq = audit_api.record(actor=None, action="test.first")
        event = Event.objects.get(seq=seq)
        assert (seq, event.prev_hash) == (1, GENESIS_HASH)
        assert event.hash == _reference_hash(GENESIS_HASH, event)

    def test_values_are_stored_as_the_json_they_hash_to(self):
        from datetime import date
        from decimal import Decimal

        seq = audit_api.record(
            actor=None, action="test.types", after={"on": date(2026, 9, 1), "points": Decimal("94.5")}
        )
        event = Event.objects.get(seq=seq)
        assert event.after == {"on": "2026-09-01", "points": "94.5"}
        assert audit_api.verify().ok

    def test_rolls_back_with_the_change_it_records(self):
        before = Event.objects.count()
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_api.record(actor=None, action="test.rolled_back")
            raise RuntimeError
        assert Event.objects.count() == before

    def test_update_is_rejected_by_the_database(self):
        seq = audit_api.record(actor=None, action="test.protected", after={"grade": "A"})
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Event.objects.filter(seq=seq).update(after={"grade": "F"})
        assert Event.objects.get(seq=seq).after == {"grade": "A"}

    def test_delete_is_rejected_by_the_database(self):
        seq = audit_api.record(actor=None, action="test.protected")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Event.objects.filter(seq=seq).delete()
        assert Event.objects.filter(seq=seq).exists()

    def test_events_for_a_target(self, make_user):
        user = make_user()
        audit_api.record(actor=None, action="test.one", target=user, after={"n": 1})
        audit_api.record(actor=None, action="test.other", target=("x.y", "1"))
        audit_api.record(actor=None, action="test.two", target=user, after={"n": 2})
        events = audit_api.events_for(target_type="accounts.user", target_id=str(user.pk))
        assert [e["action"] for e in events if e["action"].startswith("test.")] == ["test.one", "test.two"]


@pytest.mark.django_db
class TestVerify:
    @pytest.fixture(autouse=True)
    def _english(self):
        # The problems are read in English; the default language (kk) translates them.
        with translation.override("en"):
            yield

    def test_intact_chain(self, capsys):
        for i in range(5):
            audit_api.record(actor=None, action="test.n", after={"i": i})
        result = audit_api.verify()
        assert result.ok
        assert result.events_checked == Event.objects.count()
        call_command("audit_verify")
        assert f"{result.events_checked}" in capsys.readouterr().out

    def test_finds_a_changed_event(self):
        seqs = [audit_api.record(actor=None, action="test.grade", after={"grade": "B"}) for _ in range(4)]
        _drop_triggers()
        victim = Event.objects.get(seq=seqs[2])
        Event.objects.filter(pk=victim.pk).update(after={"grade": "A"})

        result = audit_api.verify()
        assert not result.ok
        assert result.first_break.event_id == victim.pk
        assert result.first_break.seq == seqs[2]
        assert "content changed" in result.first_break.problem
        assert victim.hash in result.first_break.problem
        with pytest.raises(CommandError, match=rf"id={victim.pk} \(seq {seqs[2]}\): content changed"):
            call_command("audit_verify")

    def test_finds_a_rehashed_event_by_its_broken_link(self):
        seqs = [audit_api.record(actor=None, action="test.grade") for _ in range(3)]
        _drop_triggers()
        # A forger who recomputes the changed event's hash breaks the next event's link instead.
        Event.objects.filter(seq=seqs[1]).update(hash="f" * 64)
        result = audit_api.verify()
        assert result.first_break.seq == seqs[1]
        assert "content changed" in result.first_break.problem
        Event.objects.filter(seq=seqs[1]).update(hash=Event.objects.get(seq=seqs[2]).prev_hash)
        Event.objects.filter(seq=seqs[2]).update(prev_hash="e" * 64)
        result = audit_api.verify()
        assert result.first_break.seq == seqs[2]
        assert "prev_hash" in result.first_break.problem

    def test_finds_a_deleted_event(self):
        seqs = [audit_api.record(actor=None, action="test.grade") for _ in range(3)]
        _drop_triggers()
        Event.objects.filter(seq=seqs[1]).delete()
        result = audit_api.verify()
        assert result.first_break.seq == seqs[2]
        assert "sequence gap" in result.first_break.problem


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Two threads, each on its own connection, append at once; the chain stays one line."""
    per_thread, errors = 15, []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                audit_api.record(actor=None, action="test.concurrent", after={"writer": name, "i": i})
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    before = Event.objects.count()
    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Event.objects.count() == before + 2 * per_thread
    result = audit_api.verify()
    assert result.ok, result.first_break
