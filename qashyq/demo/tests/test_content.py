"""The demo's learning content (issue 4): what it holds, that it was made through the services (audited,
valid), and that seeding again changes nothing."""

from datetime import datetime, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone, translation

from qashyq.academics.models import StudyGroup
from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.content import api as content_api
from qashyq.content import scorm
from qashyq.content.data import EumkReviewAction, EumkStatus, ItemKind, ProgressStatus, StaffRole
from qashyq.content.models import (
    Broadcast,
    Course,
    CourseStaff,
    DidacticResource,
    Enrolment,
    Eumk,
    Item,
    ItemProgress,
    ItemTrack,
    ScormPackage,
    Section,
)
from qashyq.content.selectors import broadcasts as broadcast_selectors
from qashyq.content.storage import vtt_check
from qashyq.demo import content as demo_content
from qashyq.demo import content_texts as texts
from qashyq.demo.services import demo_seed
from qashyq.documents import services as document_services
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student

MINIMAL_PDF = b"%PDF-1.7\n%demo test\n"
COURSES = {
    "IK1120-2026-1": {"ИНФ-26-1К", "ИНФ-26-2Р"},
    "MT1121-2026-1": {"ИНФ-26-1К", "ИНФ-26-2Р"},
    "KRT1103-2026-1": {"ИНФ-26-1К", "ИНФ-26-2Р", "ПП-26-1К", "ПП-26-2Р"},
    "AKT1107-2026-1": {"ИНФ-26-1К", "ИНФ-26-2Р", "ПП-26-1К", "ПП-26-2Р"},
    "ASBM1108-2026-1": {"ИНФ-26-1К", "ИНФ-26-2Р", "ПП-26-1К", "ПП-26-2Р"},
    "PK1160-2026-1": {"ПП-26-1К", "ПП-26-2Р"},
    "ZhFG1161-2026-1": {"ПП-26-1К", "ПП-26-2Р"},
}


def _counts() -> dict[str, int]:
    models = (Course, CourseStaff, Enrolment, Section, Item, ItemTrack, ScormPackage, ItemProgress, Broadcast,
              DidacticResource, Eumk, Event)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_holds_the_learning_content_of_issue_4(monkeypatch):
    monkeypatch.setattr(document_services, "pdf_render", lambda **kwargs: MINIMAL_PDF)
    demo_seed()

    # One course per discipline of the first semester with a teacher, for the groups that study it.
    courses = {c.code: c for c in Course.objects.prefetch_related("groups").select_related("period", "discipline")}
    assert set(courses) == set(COURSES)
    for code, course in courses.items():
        assert {g.code for g in course.groups.all()} == COURSES[code]
        assert course.period.number == 1
        assert course.staff.filter(role=StaffRole.TEACHER).exists()
        studying = Student.objects.filter(group__in=course.groups.all(), status=StudentStatus.ACTIVE)
        assert set(course.enrolments.values_list("student_id", flat=True)) == set(studying.values_list("pk", flat=True))
    informatics = courses["IK1120-2026-1"]
    assert set(informatics.staff.values_list("user__username", "role")) == {
        ("teacher2", "teacher"),
        ("teacher3", "teacher"),
        ("teacher3", "tutor"),
        ("tutor2", "tutor"),
    }
    tutor = informatics.staff.get(user__username="tutor2", role=StaffRole.TUTOR)
    assert [g.code for g in tutor.groups.all()] == ["ИНФ-26-2Р"]

    # Real-looking content, all published, Kazakh first with Russian and English titles.
    items = Item.objects.select_related("live_version")
    assert items.count() == 7 * 10 + 2
    for item in items:
        assert item.live_version is not None, item.name_kk
        assert not item.draft_changed
        assert all((item.name_kk, item.name_ru, item.name_en))
        assert item.live_version.data["name_kk"] == item.name_kk
    assert Event.objects.filter(action="content.item_published").count() == items.count()
    syllabus = items.get(course=informatics, name_kk=texts.SYLLABUS.kk)
    assert "Информатикаға кіріспе" in syllabus.body
    assert "<table>" in syllabus.body
    lecture1 = items.get(course=informatics, name_kk__startswith="1-дәріс")
    lecture2 = items.get(course=informatics, name_kk__startswith="2-дәріс")
    assert lecture2.prerequisite == lecture1
    practical = items.get(course=informatics, name_kk__startswith="1-практикалық")
    opens = datetime.fromisoformat(practical.live_version.data["available_from"])
    assert opens == demo_content.PRACTICAL_WINDOW[0]

    # The video has Kazakh and Russian captions and a transcript; the SCORM 1.2 package was validated.
    video = items.get(kind=ItemKind.VIDEO)
    assert video.course == informatics
    assert video.asset.content_type == "video/webm"
    assert video.asset.size < 100 * 1024
    assert sorted(video.tracks.values_list("language", flat=True)) == ["kk", "ru"]
    assert video.transcript is not None
    assert {t["language"] for t in video.live_version.data["tracks"]} == {"kk", "ru"}
    package = items.get(kind=ItemKind.SCORM).scorm_package
    assert package.version == "1.2"
    assert package.launch == "index.html"
    assert package.file_count == 4

    # e-UMKs: every discipline of 6B01101 approved; 6B06101 lacks "Artificial Intelligence" and waits for
    # the review of "Calculus".
    programmes = {p.code: p.id for p in (g.programme for g in StudyGroup.objects.select_related("programme"))}
    pedagogy = content_api.eumk_coverage(programme_id=programmes["6B01101"])
    assert len(pedagogy.disciplines) == 49
    assert pedagogy.complete
    computing = content_api.eumk_coverage(programme_id=programmes["6B06101"])
    assert [(d.discipline_code, d.status) for d in computing.missing] == [
        ("MT 1121", EumkStatus.UNDER_REVIEW),
        ("ZhI 4250", ""),
    ]
    returned = Eumk.objects.get(discipline__code="PK 1160")
    assert list(returned.reviews.values_list("action", flat=True)) == [
        EumkReviewAction.SUBMITTED,
        EumkReviewAction.RETURNED,
        EumkReviewAction.SUBMITTED,
        EumkReviewAction.APPROVED,
    ]
    assert returned.approved_by.username == "didactics1"
    calculus = Eumk.objects.get(discipline__code="MT 1121")
    assert calculus.links.filter(item__course__code="MT1121-2026-1").exists()
    assert Event.objects.filter(action="content.eumk_approved").count() == 80

    # The catalogue: five resources and a collection per required component.
    assert DidacticResource.objects.count() == 5 + 7
    textbook = DidacticResource.objects.get(name_en__startswith="Introduction to Computer Science")
    assert textbook.asset.content_type == "application/pdf"

    # TV broadcasts around today; the past one of the video course links its recording.
    broadcasts = list(Broadcast.objects.order_by("starts_at"))
    assert len(broadcasts) == 4
    now = timezone.now()
    assert sum(b.starts_at < now for b in broadcasts) == 2
    recorded = Broadcast.objects.get(recording_item__isnull=False)
    assert recorded.recording_item == video
    assert recorded.starts_at < now
    student = Student.objects.get(user__username="student01")
    with translation.override("kk"):
        shown = content_api.broadcasts_for(
            student_id=student.pk, start=now - timedelta(days=10), end=now + timedelta(days=10)
        )
    assert {b.topic for b in shown} >= {recorded.name_kk}
    entries = broadcast_selectors.calendar_entries(
        course_ids=broadcast_selectors.student_course_ids(user_id=student.user_id),
        start=demo_content.PRACTICAL_WINDOW[0] - timedelta(days=1),
        end=demo_content.PRACTICAL_WINDOW[1] + timedelta(days=1),
        now=now,
    )
    assert {e.kind for e in entries} >= {broadcast_selectors.OPENS, broadcast_selectors.CLOSES}

    # Some progress, SCORM scores included.
    assert ItemProgress.objects.filter(status=ProgressStatus.COMPLETED).exists()
    assert ItemProgress.objects.filter(status=ProgressStatus.VIEWED).exists()
    assert ItemProgress.objects.filter(item__kind=ItemKind.SCORM, score__gte=70).exists()
    per_course = dict(ItemProgress.objects.values_list("item__course__code").annotate(n=Count("pk")))
    assert set(per_course) == set(COURSES)

    # Everything was audited through the ledger, which still verifies; seeding again changes nothing.
    assert audit_api.verify().ok
    counts = _counts()
    progress = list(ItemProgress.objects.order_by("pk").values())
    assert demo_seed() == 0
    assert _counts() == counts
    assert list(ItemProgress.objects.order_by("pk").values()) == progress


@pytest.mark.django_db
def test_without_the_institution_nothing_is_made():
    demo_content.content_seed()
    assert not Course.objects.exists()
    assert not DidacticResource.objects.exists()


def test_the_committed_media_are_small_and_valid():
    clip = (demo_content.MEDIA / "clip.webm").read_bytes()
    assert clip.startswith(b"\x1a\x45\xdf\xa3")  # EBML: a WebM file
    assert len(clip) < 100 * 1024
    for language in ("kk", "ru"):
        vtt_check((demo_content.MEDIA / f"clip.{language}.vtt").read_bytes(), name=f"clip.{language}.vtt")
    manifest = scorm.parse_manifest((demo_content.MEDIA / "scorm12" / "imsmanifest.xml").read_bytes())
    assert manifest.version == "1.2"
    assert manifest.launch == "index.html"
