"""Pages of sections and items: 200/302/400/403/404, what each person sees, and bad uploads that store nothing."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.middleware.csp import get_nonce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import CompletionRule, ItemKind, ProgressStatus, StaffRole
from qashyq.content.forms.items import EDITOR_STRINGS
from qashyq.content.models import Item, ItemProgress, ItemVersion, Section
from qashyq.content.services import items as services
from qashyq.content.tests.factories import add_staff
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
    video_with_captions,
)
from qashyq.content.tests.scorm import package_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    place = make_place()
    for user in (place.teacher, place.student):
        user.language = "en"
        user.save(update_fields=["language"])
    return place


@pytest.fixture
def tutor(place):
    user = UserFactory(roles=[Role.TUTOR], language="en")
    add_staff(place.course, user, StaffRole.TUTOR)
    return user


@pytest.fixture
def stranger():
    return UserFactory(roles=[Role.TEACHER], language="en")


def url(name, *args):
    return reverse(f"content:{name}", args=args)


def page_form(**values):
    return {"name_kk": "Дәріс 1", "activity": "independent", "completion": "view", "minutes": "20"} | values


# --- Sections --------------------------------------------------------------------------------------


def test_section_create_page(client, place, tutor, stranger):
    target = url("section-create", place.course.pk)
    client.force_login(place.teacher)
    assert client.get(target).status_code == 200
    response = client.post(target, {"name_kk": "2-апта", "name_en": "Week 2"})
    section = Section.objects.get(name_kk="2-апта")
    assert response.status_code == 302
    assert response["Location"] == url("course-detail", place.course.pk) + f"#section-{section.pk}"
    assert client.post(target, {"name_kk": ""}).status_code == 400
    client.force_login(tutor)
    assert client.get(target).status_code == 403
    client.force_login(stranger)
    assert client.get(target).status_code == 404
    client.force_login(place.teacher)
    assert client.get(url("section-create", 999_999)).status_code == 404


def test_section_edit_lists_items_with_move_buttons(client, place):
    item = new_item(place, name_kk="Бірінші")
    client.force_login(place.teacher)
    response = client.get(url("section-edit", place.section.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{url("item-move", item.pk)}"' in html
    assert "Move “Бірінші” up" in html
    assert url("item-create", place.section.pk, "video") in html


def test_section_move_and_delete(client, place):
    second = services.section_create(actor=place.teacher, course=place.course, name_kk="B")
    client.force_login(place.teacher)
    assert client.get(url("section-move", second.pk)).status_code == 405
    back = url("section-edit", second.pk)
    response = client.post(url("section-move", second.pk), {"direction": "up", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert list(Section.objects.filter(course=place.course).values_list("pk", flat=True)) == [
        second.pk,
        place.section.pk,
    ]
    assert client.post(url("section-move", second.pk), {"direction": "left"}).status_code == 400
    # An outside address in `next` is not followed.
    response = client.post(url("section-move", second.pk), {"direction": "down", "next": "https://evil.example/"})
    assert response["Location"].startswith(url("course-detail", place.course.pk))
    new_item(place)
    assert client.post(url("section-delete", place.section.pk)).status_code == 400
    assert client.get(url("section-delete", second.pk)).status_code == 200
    assert client.post(url("section-delete", second.pk)).status_code == 302
    assert not Section.objects.filter(pk=second.pk).exists()


# --- Creating and editing items ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ItemKind.values)
def test_item_create_page_for_every_kind(client, place, kind):
    client.force_login(place.teacher)
    response = client.get(url("item-create", place.section.pk, kind))
    assert response.status_code == 200
    assert 'name="name_kk"' in response.content.decode()


def test_item_create_unknown_kind_and_rights(client, place, tutor, stranger):
    client.force_login(place.teacher)
    assert client.get(url("item-create", place.section.pk, "podcast")).status_code == 404
    client.force_login(tutor)
    assert client.get(url("item-create", place.section.pk, "page")).status_code == 403
    client.force_login(place.student)
    assert client.post(url("item-create", place.section.pk, "page"), page_form()).status_code == 403
    client.force_login(stranger)
    assert client.get(url("item-create", place.section.pk, "page")).status_code == 404
    assert not Item.objects.exists()


def test_page_editor_carries_the_nonce_and_no_inline_code(client, place):
    client.force_login(place.teacher)
    response = client.get(url("item-create", place.section.pk, "page"))
    html = response.content.decode()
    nonce = str(get_nonce(response.wsgi_request))
    assert nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'<script type="importmap" nonce="{nonce}">' in html
    assert 'src="/static/content/page-editor.js"' in html
    assert "data-qashyq-page-editor" in html
    assert " style=" not in html


def test_page_editor_carries_its_words_in_the_page_language_before_the_editor_loads(client, place):
    place.teacher.language = "kk"
    place.teacher.save(update_fields=["language"])
    client.force_login(place.teacher)
    html = client.get(url("item-create", place.section.pk, "page")).content.decode()
    strings_at = html.index('src="/static/content/editor-strings.js"')
    assert strings_at < html.index('src="/static/django_prose_editor/editor.js"')  # it reads window.gettext once
    found = re.search(r'data-qashyq-editor-strings="([^"]*)"', html)
    assert found is not None
    strings = json.loads(unescape(found.group(1)))
    with translation.override("kk"):
        assert strings["bold"] == gettext("Bold") != "Bold"
        assert strings["Update"] == gettext("Apply") != "Apply"
    assert set(strings) == set(EDITOR_STRINGS)


def test_create_a_page_sanitized_then_see_it(client, place):
    client.force_login(place.teacher)
    body = '<p onclick="x()">Hello</p><script>alert(1)</script>' + FORMULA
    response = client.post(url("item-create", place.section.pk, "page"), page_form(body=body))
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("item-detail", item.pk)
    assert item.body == "<p>Hello</p>" + FORMULA
    response = client.get(url("item-detail", item.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "alert(1)" not in html
    assert "onclick" not in html
    assert 'id="item-status"' in html
    assert "/static/vendor/mathjax/startup.js" in html
    assert "/static/content/mathjax-config.js" in html


def test_a_page_without_formulas_loads_no_mathjax(client, place):
    item = new_item(place, body="<p>Жай мәтін</p>")
    client.force_login(place.teacher)
    assert "mathjax" not in client.get(url("item-detail", item.pk)).content.decode().lower()


def test_form_errors_answer_400(client, place):
    client.force_login(place.teacher)
    response = client.post(
        url("item-create", place.section.pk, "page"),
        page_form(available_from="2026-10-12T10:00", available_until="2026-10-11T10:00"),
    )
    assert response.status_code == 400
    assert not Item.objects.exists()


def test_executable_disguised_as_pdf_is_refused_with_a_message(client, place, settings):
    client.force_login(place.teacher)
    before, files = counts(), stored_files(settings)
    response = client.post(url("item-create", place.section.pk, "file"), page_form(upload=exe_as_pdf()))
    assert response.status_code == 400
    assert "syllabus.pdf" in response.content.decode()
    assert counts() == before
    assert stored_files(settings) == files


def test_oversized_upload_is_refused_with_a_message(client, place, settings):
    settings.QASHYQ_UPLOAD_MAX_MB = 0
    client.force_login(place.teacher)
    before, files = counts(), stored_files(settings)
    response = client.post(url("item-create", place.section.pk, "file"), page_form(upload=pdf()))
    assert response.status_code == 400
    assert "lecture.pdf" in response.content.decode()
    assert counts() == before
    assert stored_files(settings) == files


def test_create_a_video_goes_to_its_captions(client, place):
    client.force_login(place.teacher)
    response = client.post(url("item-create", place.section.pk, "video"), page_form(upload=clip()))
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("item-tracks", item.pk)
    assert item.asset.content_type == "video/webm"


def test_edit_page(client, place, tutor):
    item = new_item(place)
    client.force_login(place.teacher)
    assert client.get(url("item-edit", item.pk)).status_code == 200
    response = client.post(url("item-edit", item.pk), page_form(name_kk="Жаңа", body="<p>Жаңа мәтін</p>"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name_kk, item.body) == ("Жаңа", "<p>Жаңа мәтін</p>")
    response = client.post(url("item-edit", item.pk), page_form(prerequisite=str(item.pk)))
    assert response.status_code == 400
    client.force_login(tutor)
    assert client.get(url("item-edit", item.pk)).status_code == 403


def test_image_upload_answers_json_for_the_editor(client, place):
    item = new_item(place)
    client.force_login(place.teacher)
    response = client.post(
        url("item-image", item.pk), {"image": image(), "alt": "Схема"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["alt"] == "Схема"
    assert answer["url"].startswith("/content/files/")
    before = counts()
    response = client.post(
        url("item-image", item.pk), {"image": exe_as_pdf(), "alt": ""}, headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    assert counts() == before
    # Without the script the form comes back to the edit page.
    assert client.post(url("item-image", item.pk), {"image": image()})["Location"] == url("item-edit", item.pk)


def test_move_and_delete_items(client, place):
    a, b = new_item(place, name_kk="A"), new_item(place, name_kk="B")
    client.force_login(place.teacher)
    response = client.post(url("item-move", b.pk), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{b.pk}")
    assert list(Item.objects.filter(section=place.section).values_list("name_kk", flat=True)) == ["B", "A"]
    assert client.get(url("item-delete", a.pk)).status_code == 200
    assert client.post(url("item-delete", a.pk)).status_code == 302
    assert list(Item.objects.values_list("pk", flat=True)) == [b.pk]


# --- Tracks --------------------------------------------------------------------------------------------


def test_tracks_page_refuses_a_broken_vtt_and_adds_a_good_one(client, place, settings):
    item = new_item(place, ItemKind.VIDEO)
    client.force_login(place.teacher)
    target = url("item-tracks", item.pk)
    response = client.get(target)
    assert response.status_code == 200
    assert 'id="needs-captions"' in response.content.decode()
    before, files = counts(), stored_files(settings)
    response = client.post(
        target, {"action": "add-track", "language": "kk", "kind": "captions", "file": broken_captions()}
    )
    assert response.status_code == 400
    assert "broken.vtt" in response.content.decode()
    assert counts() == before
    assert stored_files(settings) == files
    response = client.post(target, {"action": "add-track", "language": "kk", "kind": "captions", "file": captions()})
    assert response.status_code == 302
    assert item.tracks.get().language == "kk"
    track = item.tracks.get()
    assert client.post(target, {"action": "remove-track", "track": track.pk}).status_code == 302
    assert not item.tracks.exists()
    assert client.post(target, {"action": "remove-track", "track": 999_999}).status_code == 404
    assert client.post(target, {"action": "dance"}).status_code == 400


def test_tracks_page_only_for_media(client, place):
    client.force_login(place.teacher)
    assert client.get(url("item-tracks", new_item(place).pk)).status_code == 404


# --- Publishing ------------------------------------------------------------------------------------------


def test_publishing_a_video_without_captions_is_refused_then_allowed(client, place):
    item = new_item(place, ItemKind.VIDEO)
    client.force_login(place.teacher)
    before = counts()
    response = client.post(url("item-publish", item.pk))
    assert response.status_code == 400
    assert "captions" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert counts() == before
    services.item_track_add(actor=place.teacher, item=item, language="kk", kind="captions", upload=captions())
    response = client.post(url("item-publish", item.pk))
    assert response.status_code == 302
    assert ItemVersion.objects.get(item=item).number == 1


def test_publish_and_unpublish_rights(client, place, tutor):
    item = new_item(place)
    assert client.post(url("item-publish", item.pk)).status_code == 302  # to sign in
    client.force_login(place.student)
    assert client.post(url("item-publish", item.pk)).status_code == 404  # a draft does not exist for them
    client.force_login(tutor)
    assert client.post(url("item-publish", item.pk)).status_code == 403
    client.force_login(place.teacher)
    assert client.get(url("item-publish", item.pk)).status_code == 405
    assert client.post(url("item-publish", item.pk)).status_code == 302
    client.force_login(place.student)
    assert client.post(url("item-unpublish", item.pk)).status_code == 403
    client.force_login(place.teacher)
    assert client.post(url("item-unpublish", item.pk)).status_code == 302
    assert client.post(url("item-unpublish", item.pk)).status_code == 400


def test_staff_see_unpublished_changes_students_see_the_published_version(client, place, tutor):
    item = new_item(place, body="<p>Бірінші нұсқа</p>")
    services.item_publish(actor=place.teacher, item=item)
    services.item_update(actor=place.teacher, item=item, body="<p>Екінші жоба</p>")
    client.force_login(place.teacher)
    html = client.get(url("item-detail", item.pk)).content.decode()
    assert "Unpublished changes" in html
    assert "Екінші жоба" in html
    client.force_login(tutor)
    html = client.get(url("item-detail", item.pk)).content.decode()
    assert "Екінші жоба" in html
    assert url("item-edit", item.pk) not in html
    client.force_login(place.student)
    html = client.get(url("item-detail", item.pk)).content.decode()
    assert "Бірінші нұсқа" in html
    assert "Екінші жоба" not in html
    assert "Unpublished" not in html


def test_versions_pages(client, place, django_assert_num_queries):
    item = new_item(place, body="<p>v1</p>")
    services.item_publish(actor=place.teacher, item=item)
    client.force_login(place.teacher)
    client.get(url("item-versions", item.pk))  # warm the session and the roles
    with django_assert_num_queries(5) as one:  # the roles come with the session: no query of their own
        assert client.get(url("item-versions", item.pk)).status_code == 200
    for n in range(2, 5):
        services.item_update(actor=place.teacher, item=item, body=f"<p>v{n}</p>")
        services.item_publish(actor=place.teacher, item=item)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url("item-versions", item.pk))
    links = re.findall(rf'href="{url("item-detail", item.pk)}versions/(\d+)/"', response.content.decode())
    assert links == ["4", "3", "2", "1"]
    response = client.get(url("item-version", item.pk, 1))
    assert response.status_code == 200
    assert "<p>v1</p>" in response.content.decode()
    assert client.get(url("item-version", item.pk, 9)).status_code == 404
    client.force_login(place.student)
    assert client.get(url("item-versions", item.pk)).status_code == 404
    assert client.get(url("item-version", item.pk, 1)).status_code == 404


# --- What a student sees and does ------------------------------------------------------------------------


def test_students_never_see_drafts(client, place):
    item = new_item(place)
    client.force_login(place.student)
    assert client.get(url("item-detail", item.pk)).status_code == 404
    services.item_publish(actor=place.teacher, item=item)
    assert client.get(url("item-detail", item.pk)).status_code == 200
    services.item_unpublish(actor=place.teacher, item=item)
    assert client.get(url("item-detail", item.pk)).status_code == 404
    assert client.get(url("item-detail", 999_999)).status_code == 404


def test_opening_records_progress(client, place):
    item = new_item(place)
    services.item_publish(actor=place.teacher, item=item)
    client.force_login(place.student)
    assert client.get(url("item-detail", item.pk)).status_code == 200
    progress = ItemProgress.objects.get(item=item, enrolment=place.enrolment)
    assert progress.status == ProgressStatus.COMPLETED
    client.force_login(place.teacher)
    client.get(url("item-detail", item.pk))
    assert ItemProgress.objects.count() == 1


def test_manual_completion(client, place):
    item = new_item(place, completion=CompletionRule.MANUAL)
    services.item_publish(actor=place.teacher, item=item)
    client.force_login(place.student)
    html = client.get(url("item-detail", item.pk)).content.decode()
    assert 'id="mark-done"' in html
    assert ItemProgress.objects.get().status == ProgressStatus.VIEWED
    response = client.post(url("item-complete", item.pk))
    assert response.status_code == 302
    assert ItemProgress.objects.get().status == ProgressStatus.COMPLETED
    assert 'id="mark-done"' not in client.get(url("item-detail", item.pk)).content.decode()
    client.force_login(place.teacher)
    assert client.post(url("item-complete", item.pk)).status_code == 403


def test_a_locked_item_shows_why_and_records_nothing(client, place):
    first = new_item(place, name_kk="Кіріспе", completion=CompletionRule.MANUAL)
    services.item_publish(actor=place.teacher, item=first)
    later = new_item(place, body="<p>Жасырын мазмұн</p>", prerequisite_id=first.pk)
    services.item_publish(actor=place.teacher, item=later)
    future = new_item(place, body="<p>Болашақ</p>", available_from=timezone.now() + timedelta(days=3))
    services.item_publish(actor=place.teacher, item=future)
    client.force_login(place.student)
    html = client.get(url("item-detail", later.pk)).content.decode()
    assert "Opens after you complete “Кіріспе”" in html
    assert "Жасырын мазмұн" not in html
    html = client.get(url("item-detail", future.pk)).content.decode()
    assert 'id="item-lock"' in html
    assert "Opens on" in html
    assert "Болашақ" not in html
    assert not ItemProgress.objects.exclude(item=first).exists()
    assert client.post(url("item-complete", later.pk)).status_code == 400
    client.get(url("item-detail", first.pk))
    client.post(url("item-complete", first.pk))
    html = client.get(url("item-detail", later.pk)).content.decode()
    assert "Жасырын мазмұн" in html
    assert ItemProgress.objects.get(item=later).status == ProgressStatus.COMPLETED


def test_video_page_has_player_tracks_and_transcript(client, place):
    item = video_with_captions(place, name_kk="Бейне")
    services.item_track_add(actor=place.teacher, item=item, language="ru", kind="captions", upload=captions("ru.vtt"))
    services.item_publish(actor=place.teacher, item=item)
    client.force_login(place.student)
    html = client.get(url("item-detail", item.pk)).content.decode()
    assert "<video" in html
    assert " controls" in html
    assert "autoplay" not in html
    assert html.count("<track ") == 2
    assert 'srclang="kk"' in html
    assert 'srclang="ru"' in html
    assert " default>" in html
    assert "Сәлем! Бұл — қысқа бейне." in html  # the transcript, from the captions
    assert "/static/content/player.js" in html


def test_file_link_and_placeholder_pages(client, place):
    file_item = new_item(place, ItemKind.FILE)
    link = new_item(place, ItemKind.LINK, url="https://edu.gov.kz/kk")
    consultation = services.item_create(
        actor=place.teacher, section=place.section, kind="consultation", name_kk="Кеңес", activity="interaction"
    )
    for item in (file_item, link, consultation):
        services.item_publish(actor=place.teacher, item=item)
    client.force_login(place.student)
    html = client.get(url("item-detail", file_item.pk)).content.decode()
    assert '<iframe class="qh-pdf"' in html
    assert "?download=1" in html
    assert "lecture.pdf" in html
    html = client.get(url("item-detail", link.pk)).content.decode()
    assert 'href="https://edu.gov.kz/kk" target="_blank" rel="noopener noreferrer"' in html
    assert 'id="external-note"' in html
    html = client.get(url("item-detail", consultation.pk)).content.decode()
    assert 'id="placeholder-note"' in html


def test_student_pages_have_no_inline_code(client, place):
    item = video_with_captions(place)
    services.item_publish(actor=place.teacher, item=item)
    page = new_item(place, body=FORMULA)
    services.item_publish(actor=place.teacher, item=page)
    client.force_login(place.student)
    for target in (item, page):
        html = client.get(url("item-detail", target.pk)).content.decode()
        assert " style=" not in html
        assert " onload=" not in html


def test_the_pdf_of_a_file_item_may_be_framed_by_our_pages_only(client, place, stranger):
    item = new_item(place, ItemKind.FILE)
    target = url("item-file", item.pk)
    client.force_login(place.teacher)
    response = client.get(target)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(place.student)
    assert client.get(target).status_code == 404  # not published
    services.item_publish(actor=place.teacher, item=item)
    assert client.get(target).status_code == 200
    services.item_update(actor=place.teacher, item=item, available_from=timezone.now() + timedelta(days=1))
    services.item_publish(actor=place.teacher, item=item)
    assert client.get(target).status_code == 404  # closed for now
    client.force_login(place.teacher)
    assert client.get(target, {"version": "1"}).status_code == 200
    assert client.get(target, {"version": "7"}).status_code == 404
    assert client.get(url("item-file", new_item(place).pk)).status_code == 404  # a page has no file
    client.force_login(stranger)
    assert client.get(target).status_code == 404


def test_a_scorm_item_is_created_from_its_form_and_opens_the_player(client, place):
    client.force_login(place.teacher)
    response = client.post(
        url("item-create", place.section.pk, "scorm"),
        page_form(completion="scorm", package=package_upload("scorm12")),
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert item.scorm_package.version == "1.2"
    services.item_publish(actor=place.teacher, item=item)
    client.force_login(place.student)
    html = client.get(url("item-detail", item.pk)).content.decode()
    assert f'href="{url("scorm-launch", item.pk)}"' in html
    client.force_login(place.teacher)
    before = counts()
    response = client.post(
        url("item-create", place.section.pk, "scorm"),
        page_form(package=package_upload("scorm12", drop=["imsmanifest.xml"])),
    )
    assert response.status_code == 400
    assert "imsmanifest.xml" in response.content.decode()
    assert counts() == before
