"""The runtime's commits (services/scorm.py scorm_commit): exact stored values, replays and older commits
changing nothing, statuses never going down, time across sessions, course progress, previews, and the
gradebook's hook."""

from decimal import Decimal
from typing import Any

import pytest

from qashyq.content import scorm
from qashyq.content.models import Enrolment, Item, ItemProgress, ScormRuntime
from qashyq.content.services.scorm import CommitResult, scorm_commit, scorm_score, scorm_scores
from qashyq.content.tests.scorm import published_scorm_item

pytestmark = pytest.mark.django_db


def ticket(item: Any, enrolment: Any, *, session: int = 1, base: int = 0, progress: str = "0|") -> scorm.CommitTicket:
    return scorm.CommitTicket(
        item_id=item.pk,
        package_id=item.scorm_package_id,
        enrolment_id=enrolment.pk if enrolment else None,
        user_id=enrolment.student.user_id if enrolment else 1,
        version=item.scorm_package.version,
        session=session,
        base_seconds=base,
        progress=progress,
    )


def cmi12(
    status: str = "incomplete",
    *,
    raw: str = "",
    suspend: str = "visits=1",
    location: str = "page-2",
    time: str = "00:01:30",
) -> dict[str, Any]:
    return {
        "suspend_data": suspend,
        "launch_data": "",
        "core": {
            "student_id": "s",
            "lesson_location": location,
            "lesson_status": status,
            "entry": "ab-initio",
            "exit": "suspend",
            "session_time": time,
            "score": {"raw": raw, "min": "0" if raw else "", "max": "100"},
        },
    }


def cmi2004(
    completion: str = "incomplete", success: str = "unknown", *, scaled: str = "", time: str = "PT2M"
) -> dict[str, Any]:
    return {
        "completion_status": completion,
        "success_status": success,
        "score": {"scaled": scaled, "raw": str(int(Decimal(scaled) * 100)) if scaled else "", "min": "", "max": ""},
        "location": "q3",
        "suspend_data": "answers=1,2",
        "session_time": time,
        "exit": "",
    }


@pytest.fixture
def item12() -> tuple[Item, Any, Enrolment]:
    return published_scorm_item("scorm12")


@pytest.fixture
def item2004() -> tuple[Item, Any, Enrolment]:
    return published_scorm_item("scorm2004")


def test_first_commit_stores_exact_values_and_records_viewed(item12: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item12
    data = cmi12()
    assert scorm_commit(ticket=ticket(item, enrolment, session=1, base=0), sequence=1, cmi=data).applied is True

    runtime = ScormRuntime.objects.get()
    assert (runtime.item_id, runtime.enrolment_id) == (item.pk, enrolment.pk)
    assert runtime.cmi == data
    assert (runtime.completion_status, runtime.success_status) == ("incomplete", "")
    assert (runtime.score_raw, runtime.score_min, runtime.score_max, runtime.score_scaled) == (
        None,
        None,
        Decimal("100.000"),
        None,
    )
    assert (runtime.location, runtime.suspend_data, runtime.session_time) == ("page-2", "visits=1", "00:01:30")
    assert (runtime.total_seconds, runtime.sessions, runtime.sequence) == (90, 1, 1_000_001)
    progress = ItemProgress.objects.get()
    assert (progress.status, progress.score, progress.completed_at) == ("viewed", None, None)
    assert progress.viewed_at is not None


def test_scorm_12_passed_completes_progress_with_the_score(item12: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item12
    session = ticket(item, enrolment)
    scorm_commit(ticket=session, sequence=1, cmi=cmi12())
    scorm_commit(ticket=session, sequence=2, cmi=cmi12("passed", raw="85", time="00:05:00"))

    runtime = ScormRuntime.objects.get()
    assert (runtime.completion_status, runtime.success_status) == ("passed", "passed")
    assert (runtime.score_raw, runtime.score_min, runtime.score_max) == (Decimal("85"), Decimal("0"), Decimal("100"))
    assert (runtime.total_seconds, runtime.sessions, runtime.sequence) == (300, 1, 1_000_002)
    progress = ItemProgress.objects.get()
    assert (progress.status, progress.score) == ("completed", Decimal("85.00"))
    assert progress.completed_at is not None
    assert scorm_score(enrolment_id=enrolment.pk, item_id=item.pk) == Decimal("85.00")


def test_scorm_2004_completed_and_passed(item2004: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item2004
    data = cmi2004("completed", "passed", scaled="0.9", time="PT1H1M")
    scorm_commit(ticket=ticket(item, enrolment), sequence=1, cmi=data)

    runtime = ScormRuntime.objects.get()
    assert (runtime.completion_status, runtime.success_status) == ("completed", "passed")
    assert (runtime.score_scaled, runtime.score_raw, runtime.score_min, runtime.score_max) == (
        Decimal("0.9"),
        Decimal("90"),
        None,
        None,
    )
    assert (runtime.location, runtime.suspend_data, runtime.total_seconds) == ("q3", "answers=1,2", 3660)
    progress = ItemProgress.objects.get()
    assert (progress.status, progress.score) == ("completed", Decimal("90.00"))
    assert scorm_scores(item_id=item.pk) == {enrolment.pk: Decimal("90.00")}


def test_scorm_2004_failed_counts_as_viewed_with_its_score(item2004: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item2004
    scorm_commit(ticket=ticket(item, enrolment), sequence=1, cmi=cmi2004("incomplete", "failed", scaled="0.3"))
    progress = ItemProgress.objects.get()
    assert (progress.status, progress.score) == ("viewed", Decimal("30.00"))


def test_replayed_and_older_commits_change_nothing(item12: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item12
    session = ticket(item, enrolment)
    assert scorm_commit(ticket=session, sequence=2, cmi=cmi12(suspend="visits=2", time="00:02:00")).applied
    stored = ScormRuntime.objects.values().get()

    assert not scorm_commit(ticket=session, sequence=2, cmi=cmi12(suspend="replayed", time="00:09:00")).applied
    assert not scorm_commit(ticket=session, sequence=1, cmi=cmi12(suspend="older", time="00:09:00")).applied
    assert ScormRuntime.objects.values().get() == stored
    # A commit of an earlier session arriving late (a beacon sent while the page closed) is older too.
    late = ticket(item, enrolment, session=0)
    assert not scorm_commit(ticket=late, sequence=99, cmi=cmi12(suspend="late")).applied
    assert ScormRuntime.objects.values().get() == stored


def test_status_and_score_never_go_down(item12: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item12
    session = ticket(item, enrolment)
    scorm_commit(ticket=session, sequence=1, cmi=cmi12("passed", raw="85"))
    # The learner opens it again: the SCO says incomplete and sends no score.
    again = ticket(item, enrolment, session=2, base=90, progress="1|85.00")
    scorm_commit(ticket=again, sequence=1, cmi=cmi12("incomplete", suspend="visits=2", time="00:00:30"))

    runtime = ScormRuntime.objects.get()
    assert runtime.completion_status == "passed"
    assert runtime.success_status == "passed"
    assert runtime.score_raw == Decimal("85")
    assert (runtime.suspend_data, runtime.total_seconds, runtime.sessions) == ("visits=2", 120, 2)
    progress = ItemProgress.objects.get()
    assert (progress.status, progress.score) == ("completed", Decimal("85.00"))


def test_total_time_adds_sessions(item2004: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item2004
    first = ticket(item, enrolment, session=1, base=0)
    scorm_commit(ticket=first, sequence=1, cmi=cmi2004(time="PT1M"))
    scorm_commit(ticket=first, sequence=2, cmi=cmi2004(time="PT3M"))  # the same session, reported again
    assert ScormRuntime.objects.values_list("total_seconds", "sessions").get() == (180, 1)
    second = ticket(item, enrolment, session=2, base=180)
    scorm_commit(ticket=second, sequence=1, cmi=cmi2004(time="PT40S"))
    assert ScormRuntime.objects.values_list("total_seconds", "sessions", "session_time").get() == (220, 2, "PT40S")


def test_preview_stores_nothing(item12: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, _enrolment = item12
    assert not scorm_commit(ticket=ticket(item, None), sequence=1, cmi=cmi12("passed", raw="85")).applied
    assert not ScormRuntime.objects.exists()
    assert not ItemProgress.objects.exists()


@pytest.mark.parametrize(
    ("sequence", "data"),
    [
        (0, cmi12()),
        (scorm.SEQUENCE_SPAN, cmi12()),
        (1, cmi12("finished")),
        (1, cmi12(time="ninety seconds")),
        (1, "cmi"),
    ],
)
def test_malformed_commit_stores_nothing(item12: tuple[Item, Any, Enrolment], sequence: int, data: Any) -> None:
    item, _teacher, enrolment = item12
    with pytest.raises(scorm.CmiError):
        scorm_commit(ticket=ticket(item, enrolment), sequence=sequence, cmi=data)
    assert not ScormRuntime.objects.exists()
    assert not ItemProgress.objects.exists()


def test_progress_is_written_only_when_it_changes(
    item12: tuple[Item, Any, Enrolment], django_assert_num_queries: Any
) -> None:
    item, _teacher, enrolment = item12
    session = ticket(item, enrolment)
    first = scorm_commit(ticket=session, sequence=1, cmi=cmi12())
    assert first.progress == "0|"
    # A heartbeat commit that changes nothing progress shows: the transaction and one upsert.
    with django_assert_num_queries(3):
        result = scorm_commit(ticket=session, sequence=2, cmi=cmi12(suspend="visits=1;p=3"), known_progress="0|")
    assert result == CommitResult(applied=True, progress="0|")
    assert ScormRuntime.objects.get().suspend_data == "visits=1;p=3"
    # Completion changes what progress shows: written once, then heartbeats are the upsert alone again.
    done = scorm_commit(ticket=session, sequence=3, cmi=cmi12("passed", raw="85"), known_progress="0|")
    assert done.progress == "1|85.00"
    assert ItemProgress.objects.get().status == "completed"
    with django_assert_num_queries(3):
        scorm_commit(ticket=session, sequence=4, cmi=cmi12("passed", raw="85"), known_progress=done.progress)
    # A score the learner's runtime did not know yet (another tab) is written.
    scorm_commit(ticket=session, sequence=5, cmi=cmi12("passed", raw="95"), known_progress=done.progress)
    assert ItemProgress.objects.get().score == Decimal("95.00")


def test_an_ended_enrolment_keeps_the_data_but_not_progress(item12: tuple[Item, Any, Enrolment]) -> None:
    item, _teacher, enrolment = item12
    Enrolment.objects.filter(pk=enrolment.pk).update(active=False)
    assert scorm_commit(ticket=ticket(item, enrolment), sequence=1, cmi=cmi12("completed")).applied
    assert ScormRuntime.objects.get().completion_status == "completed"
    assert not ItemProgress.objects.exists()


def test_scores_of_an_item(item12: tuple[Item, Any, Enrolment]) -> None:
    from qashyq.content.tests.factories import enrolled_student

    item, _teacher, first = item12
    second = enrolled_student(item.course)
    third = enrolled_student(item.course)
    scorm_commit(ticket=ticket(item, first), sequence=1, cmi=cmi12("passed", raw="85"))
    scorm_commit(ticket=ticket(item, second), sequence=1, cmi=cmi12("failed", raw="40"))
    scorm_commit(ticket=ticket(item, third), sequence=1, cmi=cmi12("incomplete"))
    assert scorm_scores(item_id=item.pk) == {first.pk: Decimal("85.00"), second.pk: Decimal("40.00")}
    assert scorm_score(enrolment_id=third.pk, item_id=item.pk) is None
