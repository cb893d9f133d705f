"""Services of sections and items: exact values written, and bad input that changes nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import UserFactory
from qashyq.audit.models import Event
from qashyq.content.data import Activity, CompletionRule, ItemKind, ProgressStatus, StaffRole
from qashyq.content.models import Item, ItemProgress, ItemTrack, ItemVersion, Section
from qashyq.content.services import items as services
from qashyq.content.services.progress import progress_record
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff
from qashyq.content.tests.items_helpers import (
    FORMULA,
    broken_captions,
    captions,
    clip,
    counts,
    exe_as_pdf,
    image,
    make_place,
    new_item,
    pdf,
    stored_files,
    upload,
    video_with_captions,
)
from qashyq.content.tests.scorm import package_upload

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def place():
    return make_place()


def events(action, item):
    return list(Event.objects.filter(action=action, target_id=str(item.pk)).order_by("seq"))


# --- Sections --------------------------------------------------------------------------------------


def test_section_create_appends_with_trimmed_names(place):
    second = services.section_create(
        actor=place.teacher, course=place.course, name_kk=" 2-апта ", name_ru="Неделя 2", summary_kk="Кіріспе"
    )
    assert (second.name_kk, second.name_ru, second.name_en, second.summary_kk) == ("2-апта", "Неделя 2", "", "Кіріспе")
    assert second.position == place.section.position + 1
    assert list(Section.objects.filter(course=place.course)) == [place.section, second]


def test_section_create_needs_a_kazakh_name_and_a_teacher(place):
    with pytest.raises(ValidationError) as error:
        services.section_create(actor=place.teacher, course=place.course, name_kk="  ")
    assert "name_kk" in error.value.message_dict
    tutor = UserFactory(roles=[Role.TUTOR])
    add_staff(place.course, tutor, StaffRole.TUTOR)
    for actor in (tutor, place.student, UserFactory(roles=[Role.TEACHER]), UserFactory(roles=[Role.ADMINISTRATION])):
        with pytest.raises(PermissionDenied):
            services.section_create(actor=actor, course=place.course, name_kk="X")
    assert Section.objects.filter(course=place.course).count() == 1


def test_section_update_changes_only_given_fields(place):
    services.section_update(actor=place.teacher, section=place.section, name_en="Week 1", summary_ru="Введение")
    place.section.refresh_from_db()
    assert (place.section.name_en, place.section.summary_ru) == ("Week 1", "Введение")
    with pytest.raises(ValidationError):
        services.section_update(actor=place.teacher, section=place.section, name_kk="")
    place.section.refresh_from_db()
    assert place.section.name_kk != ""


def test_section_move_swaps_neighbours_and_stops_at_the_ends(place):
    b = services.section_create(actor=place.teacher, course=place.course, name_kk="B")
    c = services.section_create(actor=place.teacher, course=place.course, name_kk="C")
    a = place.section
    services.section_move(actor=place.teacher, section=c, direction="up")
    assert list(Section.objects.filter(course=place.course).values_list("pk", "position")) == [
        (a.pk, 0),
        (c.pk, 1),
        (b.pk, 2),
    ]
    services.section_move(actor=place.teacher, section=a, direction="up")  # already first
    services.section_move(actor=place.teacher, section=b, direction="down")  # already last
    assert list(Section.objects.filter(course=place.course).values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    with pytest.raises(ValidationError):
        services.section_move(actor=place.teacher, section=a, direction="sideways")


def test_section_delete_only_when_empty(place):
    new_item(place)
    with pytest.raises(ValidationError):
        services.section_delete(actor=place.teacher, section=place.section)
    assert Section.objects.filter(pk=place.section.pk).exists()
    empty = services.section_create(actor=place.teacher, course=place.course, name_kk="Бос")
    last = services.section_create(actor=place.teacher, course=place.course, name_kk="Соңғы")
    services.section_delete(actor=place.teacher, section=empty)
    assert list(Section.objects.filter(course=place.course).values_list("pk", "position")) == [
        (place.section.pk, 0),
        (last.pk, 1),
    ]


# --- Creating and editing items ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ItemKind.TEST, ItemKind.ASSIGNMENT, ItemKind.CONSULTATION])
def test_placeholders_need_only_a_title_and_a_description(place, kind):
    item = services.item_create(
        actor=place.teacher,
        section=place.section,
        kind=kind,
        name_kk="Аралық бақылау",
        activity=Activity.INTERACTION,
        body="  Сипаттама  ",
        minutes=45,
    )
    item.refresh_from_db()
    assert (item.kind, item.name_kk, item.body, item.minutes, item.activity) == (
        kind,
        "Аралық бақылау",
        "Сипаттама",
        45,
        Activity.INTERACTION,
    )
    assert item.draft_changed is True
    assert item.live_version is None
    assert item.course == place.course
    assert item.position == 0


def test_page_body_is_sanitized_on_save(place):
    item = new_item(
        place,
        body='<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:alert(1)">x</a>' + FORMULA,
    )
    item.refresh_from_db()
    assert item.body == '<p>Hi</p><a rel="noopener noreferrer">x</a>' + FORMULA
    services.item_update(actor=place.teacher, item=item, body='<img src="https://evil/x.png" onerror="y()"><p>ok</p>')
    item.refresh_from_db()
    assert item.body == "<p>ok</p>"


def test_items_are_appended_in_order(place):
    first = new_item(place)
    second = new_item(place, ItemKind.LINK)
    assert (first.position, second.position) == (0, 1)


def test_file_item_stores_the_upload(place, settings):
    item = new_item(place, ItemKind.FILE, upload=pdf("Дәріс 1.pdf"))
    assert item.asset.original_name == "Дәріс 1.pdf"
    assert item.asset.content_type == "application/pdf"
    assert item.asset.uploaded_by == place.teacher
    assert len(stored_files(settings)) == 1


def test_an_executable_disguised_as_a_pdf_is_refused_and_nothing_stored(place, settings):
    before, files = counts(), stored_files(settings)
    with pytest.raises(ValidationError) as error:
        new_item(place, ItemKind.FILE, upload=exe_as_pdf())
    assert "syllabus.pdf" in " ".join(error.value.message_dict["upload"])
    assert counts() == before
    assert stored_files(settings) == files


def test_an_oversized_upload_is_refused_and_nothing_stored(place, settings):
    settings.QASHYQ_MEDIA_MAX_MB = 0  # any video is too large now
    before, files = counts(), stored_files(settings)
    with pytest.raises(ValidationError) as error:
        new_item(place, ItemKind.VIDEO, upload=clip())
    assert "clip.webm" in " ".join(error.value.message_dict["upload"])
    assert counts() == before
    assert stored_files(settings) == files


def test_a_video_must_be_a_video(place, settings):
    before = counts()
    with pytest.raises(ValidationError) as error:
        new_item(place, ItemKind.VIDEO, upload=pdf())
    assert "upload" in error.value.message_dict
    assert counts() == before


def test_upload_is_required_for_file_video_audio(place):
    before = counts()
    for kind in (ItemKind.FILE, ItemKind.VIDEO, ItemKind.AUDIO):
        with pytest.raises(ValidationError) as error:
            services.item_create(
                actor=place.teacher, section=place.section, kind=kind, name_kk="X", activity=Activity.INDEPENDENT
            )
        assert "upload" in error.value.message_dict
    assert counts() == before


def test_field_errors_come_together_and_store_nothing(place, settings):
    before, files = counts(), stored_files(settings)
    opens = datetime(2026, 10, 12, 10, 0, tzinfo=ALMATY)
    with pytest.raises(ValidationError) as error:
        services.item_create(
            actor=place.teacher,
            section=place.section,
            kind=ItemKind.LINK,
            name_kk="",
            activity="lecture",
            completion=CompletionRule.SCORM,
            minutes=-1,
            url="ftp://files.kz/x",
            available_from=opens,
            available_until=opens,
        )
    assert set(error.value.message_dict) == {"name_kk", "activity", "completion", "minutes", "url", "available_until"}
    assert counts() == before
    assert stored_files(settings) == files


def test_a_failing_field_check_stores_no_upload(place, settings):
    files = stored_files(settings)
    with pytest.raises(ValidationError):
        new_item(place, ItemKind.FILE, name_kk="", upload=pdf())
    assert stored_files(settings) == files


def test_prerequisite_must_be_of_the_same_course_and_make_no_loop(place):
    a = new_item(place, name_kk="A")
    b = new_item(place, name_kk="B", prerequisite_id=a.pk)
    c = new_item(place, name_kk="C", prerequisite_id=b.pk)
    assert (b.prerequisite_id, c.prerequisite_id) == (a.pk, b.pk)
    with pytest.raises(ValidationError) as error:
        services.item_update(actor=place.teacher, item=a, prerequisite_id=c.pk)
    assert "prerequisite" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.item_update(actor=place.teacher, item=a, prerequisite_id=a.pk)
    other_course = CourseFactory(period=place.course.period)
    stranger = Item.objects.create(
        course=other_course,
        section=SectionFactory(course=other_course),
        kind=ItemKind.PAGE,
        activity=Activity.INDEPENDENT,
        name_kk="Z",
    )
    with pytest.raises(ValidationError):
        services.item_update(actor=place.teacher, item=a, prerequisite_id=stranger.pk)
    a.refresh_from_db()
    assert a.prerequisite_id is None


def test_update_marks_draft_changed_only_when_something_changed(place):
    item = new_item(place)
    services.item_publish(actor=place.teacher, item=item)
    item.refresh_from_db()
    assert item.draft_changed is False
    services.item_update(actor=place.teacher, item=item, name_kk=item.name_kk, body="<p>Мәтін</p>")
    item.refresh_from_db()
    assert item.draft_changed is False
    services.item_update(actor=place.teacher, item=item, minutes=30)
    item.refresh_from_db()
    assert (item.minutes, item.draft_changed) == (30, True)


def test_update_replaces_the_file_and_keeps_the_old_one(place):
    item = new_item(place, ItemKind.FILE)
    old = item.asset
    services.item_update(actor=place.teacher, item=item, upload=pdf("v2.pdf"))
    item.refresh_from_db()
    assert item.asset.original_name == "v2.pdf"
    assert type(old).objects.filter(pk=old.pk).exists()


def test_completion_scorm_only_for_scorm_items(place):
    with pytest.raises(ValidationError):
        new_item(place, completion=CompletionRule.SCORM)
    assert services.completion_choices(ItemKind.SCORM)[0] == CompletionRule.SCORM


def test_items_move_within_their_section(place):
    a, _b, c = new_item(place, name_kk="A"), new_item(place, name_kk="B"), new_item(place, name_kk="C")
    services.item_move(actor=place.teacher, item=a, direction="down")
    services.item_move(actor=place.teacher, item=c, direction="up")
    assert list(Item.objects.filter(section=place.section).values_list("name_kk", flat=True)) == ["B", "C", "A"]


# --- Publishing ------------------------------------------------------------------------------------


def test_publish_snapshots_the_draft_in_the_agreed_format(place):
    opens = datetime(2026, 10, 12, 10, 0, tzinfo=ALMATY)
    first = new_item(place, name_kk="A")
    services.item_publish(actor=place.teacher, item=first)
    item = video_with_captions(
        place,
        name_kk="Бейне",
        name_ru="Видео",
        minutes=12,
        body="Сипаттама",
        available_from=opens,
        prerequisite_id=first.pk,
    )
    version = services.item_publish(actor=place.teacher, item=item)
    item.refresh_from_db()
    track = item.tracks.get()
    assert version.number == 1
    assert version.published_by == place.teacher
    assert item.live_version == version
    assert item.draft_changed is False
    assert version.data == {
        "name_kk": "Бейне",
        "name_ru": "Видео",
        "name_en": "",
        "kind": "video",
        "activity": "independent",
        "completion": "view",
        "minutes": 12,
        "body": "Сипаттама",
        "url": "",
        "asset": {"id": str(item.asset.pk), "name": "clip.webm", "type": "video/webm", "size": item.asset.size},
        "transcript": None,
        "scorm_package_id": None,
        "tracks": [{"language": "kk", "kind": "captions", "asset_id": str(track.asset_id)}],
        "available_from": "2026-10-12T05:00:00+00:00",
        "available_until": None,
        "prerequisite_id": first.pk,
        "images": [],
    }


def test_publishing_again_keeps_the_previous_version_and_is_audited(place):
    item = new_item(place, body="<p>Бірінші</p>")
    v1 = services.item_publish(actor=place.teacher, item=item)
    with pytest.raises(ValidationError):  # nothing changed since
        services.item_publish(actor=place.teacher, item=item)
    services.item_update(actor=place.teacher, item=item, body="<p>Екінші</p>")
    v2 = services.item_publish(actor=place.teacher, item=item)
    assert (v1.number, v2.number) == (1, 2)
    assert list(ItemVersion.objects.filter(item=item).values_list("number", "data__body")) == [
        (2, "<p>Екінші</p>"),
        (1, "<p>Бірінші</p>"),
    ]
    published = events("content.item_published", item)
    assert [(e.before, e.after) for e in published] == [
        ({"version": None}, {"version": 1}),
        ({"version": 1}, {"version": 2}),
    ]
    assert published[0].actor_id == place.teacher.pk


def test_a_video_without_captions_is_not_published(place):
    item = new_item(place, ItemKind.VIDEO)
    before = counts()
    with pytest.raises(ValidationError):
        services.item_publish(actor=place.teacher, item=item)
    with translation.override("en"):
        assert "captions" in " ".join(services.publish_problems(item, tracks=[]))
    assert counts() == before
    assert not events("content.item_published", item)
    item.refresh_from_db()
    assert item.live_version is None
    services.item_track_add(actor=place.teacher, item=item, language="ru", kind="captions", upload=captions("ru.vtt"))
    assert services.item_publish(actor=place.teacher, item=item).number == 1


def test_subtitles_alone_are_not_captions(place):
    item = new_item(place, ItemKind.VIDEO)
    services.item_track_add(actor=place.teacher, item=item, language="en", kind="subtitles", upload=captions("en.vtt"))
    with pytest.raises(ValidationError):
        services.item_publish(actor=place.teacher, item=item)


def test_publish_problems_of_each_kind(place):
    page = new_item(place, body="<p></p>")
    link = new_item(place, ItemKind.LINK)
    Item.objects.filter(pk=link.pk).update(url="")
    link.refresh_from_db()
    with translation.override("en"):
        assert services.publish_problems(page, tracks=[]) == ["The page has no text yet."]
        assert services.publish_problems(link, tracks=[]) == ["The link has no address."]
    before = counts()
    for item in (page, link):
        with pytest.raises(ValidationError):
            services.item_publish(actor=place.teacher, item=item)
    assert counts() == before


def test_an_item_whose_prerequisite_is_not_published_waits(place):
    first = new_item(place, name_kk="Бірінші")
    second = new_item(place, prerequisite_id=first.pk)
    with pytest.raises(ValidationError) as error:
        services.item_publish(actor=place.teacher, item=second)
    assert "Бірінші" in " ".join(error.value.messages)
    services.item_publish(actor=place.teacher, item=first)
    assert services.item_publish(actor=place.teacher, item=second).number == 1


def test_page_images_are_named_in_the_version(place):
    item = new_item(place)
    asset = services.item_image_upload(actor=place.teacher, item=item, upload=image())
    url = f"/content/files/{asset.pk}/"
    services.item_update(actor=place.teacher, item=item, body=f'<p>Сурет:</p><img src="{url}" alt="Схема">')
    version = services.item_publish(actor=place.teacher, item=item)
    assert version.data["images"] == [str(asset.pk)]
    assert version.data["body"] == f'<p>Сурет:</p><img src="{url}" alt="Схема">'


def test_image_upload_refuses_what_is_not_an_image(place):
    item = new_item(place)
    before = counts()
    with pytest.raises(ValidationError):
        services.item_image_upload(actor=place.teacher, item=item, upload=upload("x.png", b"MZ" + b"\x00" * 200))
    with pytest.raises(ValidationError):
        services.item_image_upload(actor=place.teacher, item=new_item(place, ItemKind.LINK), upload=image())
    assert counts()["assets"] == before["assets"]


def test_unpublish_hides_keeps_versions_and_is_audited(place):
    item = new_item(place)
    services.item_publish(actor=place.teacher, item=item)
    services.item_unpublish(actor=place.teacher, item=item, reason="Қате")
    item.refresh_from_db()
    assert item.live_version is None
    assert item.draft_changed is True
    assert item.versions.count() == 1
    [event] = events("content.item_unpublished", item)
    assert (event.before, event.after, event.reason) == ({"version": 1}, {"version": None}, "Қате")
    with pytest.raises(ValidationError):
        services.item_unpublish(actor=place.teacher, item=item)
    assert services.item_publish(actor=place.teacher, item=item).number == 2


def test_only_the_teacher_publishes(place):
    item = new_item(place)
    tutor = UserFactory(roles=[Role.TUTOR])
    add_staff(place.course, tutor, StaffRole.TUTOR)
    for actor in (tutor, place.student, UserFactory(roles=[Role.HEAD])):
        with pytest.raises(PermissionDenied):
            services.item_publish(actor=actor, item=item)
    assert not ItemVersion.objects.exists()


# --- Tracks and transcripts --------------------------------------------------------------------------


def test_a_broken_vtt_is_refused_naming_the_line_and_nothing_stored(place, settings):
    item = new_item(place, ItemKind.VIDEO)
    before, files = counts(), stored_files(settings)
    with pytest.raises(ValidationError) as error:
        services.item_track_add(
            actor=place.teacher, item=item, language="kk", kind="captions", upload=broken_captions()
        )
    message = " ".join(error.value.message_dict["file"])
    assert "broken.vtt" in message
    assert "3" in message
    assert counts() == before
    assert stored_files(settings) == files


def test_a_track_replaces_the_one_of_the_same_language_and_kind(place):
    item = video_with_captions(place)
    old = item.tracks.get()
    services.item_track_add(actor=place.teacher, item=item, language="kk", kind="captions", upload=captions("v2.vtt"))
    services.item_track_add(actor=place.teacher, item=item, language="ru", kind="captions", upload=captions("ru.vtt"))
    tracks = list(
        ItemTrack.objects.filter(item=item).order_by("language").values_list("language", "asset__original_name")
    )
    assert tracks == [("kk", "v2.vtt"), ("ru", "ru.vtt")]
    assert not ItemTrack.objects.filter(pk=old.pk).exists()


def test_tracks_only_on_media_and_in_known_languages(place):
    page = new_item(place)
    with pytest.raises(ValidationError):
        services.item_track_add(actor=place.teacher, item=page, language="kk", kind="captions", upload=captions())
    video = new_item(place, ItemKind.VIDEO)
    with pytest.raises(ValidationError) as error:
        services.item_track_add(actor=place.teacher, item=video, language="xx", kind="karaoke", upload=captions())
    assert set(error.value.message_dict) == {"language", "kind"}
    assert not ItemTrack.objects.exists()


def test_removing_a_track_marks_the_draft_changed(place):
    item = video_with_captions(place)
    services.item_publish(actor=place.teacher, item=item)
    services.item_track_remove(actor=place.teacher, track=item.tracks.get())
    item.refresh_from_db()
    assert item.draft_changed is True
    # The published version still names the removed track.
    assert len(item.live_version.data["tracks"]) == 1


def test_transcript_text_or_vtt(place):
    item = video_with_captions(place)
    asset = services.item_transcript_set(
        actor=place.teacher, item=item, upload=upload("transcript.txt", "Толық мәтін\n".encode())
    )
    item.refresh_from_db()
    assert item.transcript == asset
    assert asset.content_type == "text/plain"
    with pytest.raises(ValidationError):
        services.item_transcript_set(actor=place.teacher, item=item, upload=broken_captions())
    with pytest.raises(ValidationError):
        services.item_transcript_set(actor=place.teacher, item=item, upload=upload("t.txt", b"\xff\xfe\x00bad"))
    services.item_transcript_remove(actor=place.teacher, item=item)
    item.refresh_from_db()
    assert item.transcript is None


# --- Deleting ----------------------------------------------------------------------------------------


def test_delete_refused_when_other_items_open_after_it_or_students_worked_with_it(place):
    a = new_item(place, name_kk="A")
    b = new_item(place, name_kk="B", prerequisite_id=a.pk)
    with pytest.raises(ValidationError) as error:
        services.item_delete(actor=place.teacher, item=a)
    assert "B" in " ".join(error.value.messages)
    services.item_publish(actor=place.teacher, item=b.prerequisite)
    services.item_publish(actor=place.teacher, item=b)
    b.refresh_from_db()
    progress_record(enrolment=place.enrolment, item=b, status=ProgressStatus.VIEWED)
    with pytest.raises(ValidationError):
        services.item_delete(actor=place.teacher, item=b)
    assert Item.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_delete_a_published_item_is_audited_and_renumbers(place):
    a, b, c = new_item(place, name_kk="A"), new_item(place, name_kk="B"), new_item(place, name_kk="C")
    services.item_publish(actor=place.teacher, item=b)
    b_id, a_id = b.pk, a.pk
    services.item_delete(actor=place.teacher, item=b)
    assert list(Item.objects.filter(section=place.section).values_list("pk", "position")) == [(a.pk, 0), (c.pk, 1)]
    [event] = Event.objects.filter(action="content.item_deleted", target_id=str(b_id))
    assert event.before == {"name": "B", "version": 1}
    services.item_delete(actor=place.teacher, item=a)  # a draft: no event
    assert not Event.objects.filter(action="content.item_deleted", target_id=str(a_id)).exists()


# --- What students do --------------------------------------------------------------------------------


def test_viewing_records_viewed_or_completed(place):
    by_view = new_item(place)
    manual = new_item(place, completion=CompletionRule.MANUAL)
    for item in (by_view, manual):
        services.item_publish(actor=place.teacher, item=item)
        item.refresh_from_db()
    assert services.item_view_record(enrolment=place.enrolment, item=by_view).status == ProgressStatus.COMPLETED
    assert services.item_view_record(enrolment=place.enrolment, item=manual).status == ProgressStatus.VIEWED
    progress = services.item_complete(enrolment=place.enrolment, item=manual, lock="")
    assert progress.status == ProgressStatus.COMPLETED
    assert progress.completed_at is not None


def test_the_published_completion_rule_counts_not_the_draft(place):
    item = new_item(place, completion=CompletionRule.MANUAL)
    services.item_publish(actor=place.teacher, item=item)
    services.item_update(actor=place.teacher, item=item, completion=CompletionRule.VIEW)
    item.refresh_from_db()
    assert services.item_view_record(enrolment=place.enrolment, item=item).status == ProgressStatus.VIEWED


def test_manual_completion_refused_when_locked_unpublished_or_not_manual(place):
    item = new_item(place)
    with pytest.raises(ValidationError):
        services.item_complete(enrolment=place.enrolment, item=item, lock="")
    services.item_publish(actor=place.teacher, item=item)
    item.refresh_from_db()
    with pytest.raises(ValidationError):  # completed by viewing, not by marking
        services.item_complete(enrolment=place.enrolment, item=item, lock="")
    services.item_update(actor=place.teacher, item=item, completion=CompletionRule.MANUAL)
    services.item_publish(actor=place.teacher, item=item)
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.item_complete(enrolment=place.enrolment, item=item, lock="Opens on …")
    assert not ItemProgress.objects.exists()


def test_published_availability_is_what_counts(place):
    opens = timezone.now() + timedelta(days=2)
    item = new_item(place, available_from=opens)
    services.item_publish(actor=place.teacher, item=item)
    assert item.live_version.data["available_from"] == opens.astimezone(ZoneInfo("UTC")).isoformat()


# --- SCORM items ---------------------------------------------------------------------------------------


def test_a_scorm_item_takes_its_package(place):
    item = services.item_create(
        actor=place.teacher,
        section=place.section,
        kind=ItemKind.SCORM,
        name_kk="Өзін-өзі тексеру",
        activity=Activity.INDEPENDENT,
        completion=CompletionRule.SCORM,
        package=package_upload("scorm2004"),
    )
    assert item.scorm_package is not None
    assert item.scorm_package.version == "2004"
    version = services.item_publish(actor=place.teacher, item=item)
    assert version.data["scorm_package_id"] == item.scorm_package_id
    assert version.data["completion"] == "scorm"


def test_a_broken_scorm_package_is_refused_on_its_field_and_nothing_stored(place, settings):
    before, files = counts(), stored_files(settings)
    with pytest.raises(ValidationError) as error:
        services.item_create(
            actor=place.teacher,
            section=place.section,
            kind=ItemKind.SCORM,
            name_kk="Бұзық",
            activity=Activity.INDEPENDENT,
            package=package_upload("scorm12", drop=["imsmanifest.xml"]),
        )
    assert "package" in error.value.message_dict
    assert counts() == before
    assert stored_files(settings) == files
    with pytest.raises(ValidationError) as error:
        services.item_create(
            actor=place.teacher,
            section=place.section,
            kind=ItemKind.SCORM,
            name_kk="Бос",
            activity=Activity.INDEPENDENT,
        )
    assert "package" in error.value.message_dict
