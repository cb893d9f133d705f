"""Items from the teacher's editor to the student's screen: a page with a formula written in the rich-text
editor, and a video that is refused without captions, gets them and is published; the student sees the
formula typeset by MathJax and the video with its captions track and transcript. Every page goes through axe,
and the browser may report no CSP violation (the editor and MathJax run under the strict policy). A second test
reorders items with the keyboard (the focus stays on the button pressed), reads past versions and unpublishes.

The media are committed fixtures (qashyq/content/tests/media): clip.webm, 2 s, 160×90, VP8 + Vorbis, made with
    ffmpeg -f lavfi -i testsrc=size=160x90:rate=10:duration=2 -f lavfi -i sine=frequency=440:duration=2 \
        -c:v libvpx -b:v 60k -c:a libvorbis -ac 1 -ar 16000 -shortest clip.webm
and captions.kk.vtt (two cues). CI needs no ffmpeg."""

import re
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.content.data import EnrolmentSource, ItemKind
from qashyq.content.models import Enrolment, Item, ItemProgress, ItemVersion
from qashyq.content.services import items as services
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff
from qashyq.content.tests.files_helpers import png
from qashyq.content.tests.items_helpers import CAPTIONS_KK, CLIP
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student
from tests.e2e.support import Account, assert_accessible, path_is


def test_teacher_publishes_a_page_with_a_formula_and_a_captioned_video_the_student_sees_them(
    page: Page,
    open_page: Callable[[], Page],
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Әсел", last_name="Жұмабаева")
    student = make_account(Role.STUDENT, first_name="Ерлан", last_name="Нұрланов")
    course = CourseFactory(name_kk="Математикалық талдау")
    add_staff(course, teacher.user)
    programme = make_programme()
    group = make_group("МТ-26-1", programme)
    course.groups.add(group)
    enrolment = Enrolment.objects.create(
        course=course,
        student=make_student(programme, group=group, status=StudentStatus.ACTIVE, user=student.user),
        source=EnrolmentSource.GROUP,
    )
    section = SectionFactory(course=course, name_kk="1-апта")

    # The teacher writes a page with a formula in the rich-text editor. The toolbar's icon font has not
    # arrived (a slow connection): its buttons still have names matching what assistive technology reads,
    # and the greyed-out ones are readable and say that they are unavailable.
    page.route("**/material-icons.woff2", lambda route: route.fulfill(status=200, body=b"", content_type="font/woff2"))
    sign_in(page, teacher)
    page.goto(url(f"/content/sections/{section.pk}/edit/"))
    assert_accessible(page)
    page.locator(f"#add-item a[href='/content/sections/{section.pk}/items/new/page/']").click()
    expect(page).to_have_url(path_is(f"/content/sections/{section.pk}/items/new/page/"))
    editor = page.locator(".prose-editor .ProseMirror[role=textbox]")
    expect(editor).to_be_visible()
    with translation.override("kk"):
        bold, undo, link = gettext("Bold"), gettext("Undo"), gettext("Insert a link")
        apply, cancel = gettext("Apply"), gettext("Cancel")
    expect(page.get_by_role("button", name=bold, exact=True)).to_have_attribute("aria-disabled", "false")
    expect(page.get_by_role("button", name=bold, exact=True)).to_have_attribute("title", bold)
    expect(page.get_by_role("button", name=undo, exact=True)).to_have_attribute("aria-disabled", "true")
    assert_accessible(page)
    page.locator("#id_name_kk").fill("Пифагор теоремасы")
    editor.click()
    page.keyboard.type(r"Тікбұрышты үшбұрышта \(a^2 + b^2 = c^2\) орындалады.")
    # The link dialog speaks the page's language too; cancelled, it changes nothing.
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name=link, exact=True).click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_role("button", name=apply, exact=True)).to_be_visible()
    dialog.get_by_role("button", name=cancel, exact=True).click()
    expect(dialog).to_have_count(0)
    page.keyboard.press("End")
    page.locator("#id_activity_1").check()  # independent work
    page.locator("#id_minutes").fill("15")
    page.locator("#item-form [type=submit]").click()
    item_page = Item.objects.get(kind=ItemKind.PAGE)
    expect(page).to_have_url(path_is(f"/content/items/{item_page.pk}/"))
    assert r"\(a^2 + b^2 = c^2\)" in item_page.body
    expect(page.locator(".qh-page-body mjx-container")).to_have_count(1)  # the draft is typeset too
    assert_accessible(page)

    # ... adds an image: uploaded as a stored file and inserted into the text where the cursor is.
    page.goto(url(f"/content/items/{item_page.pk}/edit/"))
    expect(editor).to_contain_text("a^2 + b^2 = c^2")
    assert_accessible(page)
    editor.click()
    page.keyboard.press("End")
    page.locator("#id_image").set_input_files(files=[{"name": "scheme.png", "mimeType": "image/png", "buffer": png()}])
    page.locator("#id_alt").fill("Тікбұрышты үшбұрыштың сызбасы")
    page.locator("#image-upload [type=submit]").click()
    expect(page.locator("#image-status")).not_to_be_empty()
    expect(editor.locator("img[alt='Тікбұрышты үшбұрыштың сызбасы']")).to_have_count(1)
    page.locator("#item-form [type=submit]").click()
    expect(page).to_have_url(path_is(f"/content/items/{item_page.pk}/"))
    item_page.refresh_from_db()
    assert re.search(r'<img src="/content/files/[0-9a-f-]{36}/" alt="Тікбұрышты үшбұрыштың сызбасы">', item_page.body)
    page.locator("#publish").click()
    expect(page.locator("#item-status")).to_have_class(re.compile(r"text-bg-success"))
    assert_accessible(page)

    # A video: saved as a draft, refused for publication without captions.
    page.goto(url(f"/content/sections/{section.pk}/items/new/video/"))
    assert_accessible(page)
    page.locator("#id_name_kk").fill("Теореманың дәлелі")
    page.locator("#id_upload").set_input_files(str(CLIP))
    page.locator("#id_activity_0").check()  # pedagogical interaction
    page.locator("#item-form [type=submit]").click()
    video = Item.objects.get(kind=ItemKind.VIDEO)
    expect(page).to_have_url(path_is(f"/content/items/{video.pk}/tracks/"))
    expect(page.locator("#needs-captions")).to_be_visible()
    assert_accessible(page)
    page.goto(url(f"/content/items/{video.pk}/"))
    expect(page.locator("#publish-problems")).to_be_visible()
    page.locator("#publish").click()
    expect(page.locator("#item-errors[role=alert]")).to_be_visible()
    assert_accessible(page)
    assert not ItemVersion.objects.filter(item=video).exists()

    # ... gets its Kazakh captions and is published.
    page.goto(url(f"/content/items/{video.pk}/tracks/"))
    page.locator("#id_language").select_option("kk")
    page.locator("#id_kind").select_option("captions")
    page.locator("#id_file").set_input_files(str(CAPTIONS_KK))
    page.locator("#track-form [type=submit]").click()
    expect(page.locator("#tracks tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.goto(url(f"/content/items/{video.pk}/"))
    page.locator("#publish").click()
    expect(page.locator("#item-status")).to_have_class(re.compile(r"text-bg-success"))
    assert_accessible(page)
    assert list(ItemVersion.objects.filter(item=video).values_list("number", flat=True)) == [1]

    # The student sees the formula typeset (MathJax's styles applied under the CSP: the glyphs take room).
    reader = open_page()
    sign_in(reader, student)
    reader.goto(url(f"/content/items/{item_page.pk}/"))
    formula = reader.locator(".qh-page-body mjx-container")
    expect(formula).to_have_count(1)
    box = formula.bounding_box()
    assert box is not None
    assert box["width"] > 40
    assert box["height"] > 8
    expect(reader.locator("#item-status")).to_have_count(0)
    picture = reader.locator(".qh-page-body img")
    expect(picture).to_have_attribute("alt", "Тікбұрышты үшбұрыштың сызбасы")
    assert reader.evaluate("document.querySelector('.qh-page-body img').naturalWidth") == 4  # served to the student
    assert_accessible(reader)

    # ... and the video with its captions track (never started by itself) and the transcript below.
    reader.goto(url(f"/content/items/{video.pk}/"))
    player = reader.locator("video#player")
    expect(player).to_have_attribute("controls", "")
    expect(player.locator("track[kind=captions][srclang=kk]")).to_have_count(1)
    reader.wait_for_function("document.querySelector('video#player').readyState >= 1")
    assert reader.evaluate("document.querySelector('video#player').autoplay") is False
    assert reader.evaluate("document.querySelector('video#player').textTracks[0].language") == "kk"
    assert reader.evaluate("document.querySelector('video#player').duration") > 1.5
    expect(reader.locator("#transcript")).to_contain_text("Сәлем! Бұл — қысқа бейне.")
    expect(reader.locator("#player-tools")).to_be_visible()
    reader.locator("#player-speed").select_option("1.5")
    assert reader.evaluate("document.querySelector('video#player').playbackRate") == 1.5
    assert_accessible(reader)
    assert set(ItemProgress.objects.filter(enrolment=enrolment).values_list("item_id", "status")) == {
        (item_page.pk, "completed"),
        (video.pk, "completed"),
    }


def test_teacher_reorders_with_the_keyboard_and_reads_the_versions(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Әсел", last_name="Жұмабаева")
    course = CourseFactory(name_kk="Физика")
    add_staff(course, teacher.user)
    section = SectionFactory(course=course, name_kk="1-апта")
    a, b, c = (
        services.item_create(
            actor=teacher.user,
            section=section,
            kind="page",
            name_kk=name,
            activity="independent",
            body=f"<p>{name}</p>",
        )
        for name in ("Алғы сөз", "Механика", "Оптика")
    )
    services.item_publish(actor=teacher.user, item=a)
    services.item_update(actor=teacher.user, item=a, body="<p>Алғы сөз, екінші нұсқа</p>")
    services.item_publish(actor=teacher.user, item=a)

    sign_in(page, teacher)
    page.goto(url(f"/content/sections/{section.pk}/edit/"))
    rows = page.locator("#section-items tbody th")
    expect(rows).to_have_text(["Алғы сөз", "Механика", "Оптика"])
    assert_accessible(page)
    # The down button of the first item, pressed with the keyboard; the focus comes back to it after the move.
    page.locator(f"#move-item-{a.pk} button[value=down]").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_text(["Механика", "Алғы сөз", "Оптика"])
    expect(page.locator(f"#move-item-{a.pk} button[value=down]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows).to_have_text(["Механика", "Оптика", "Алғы сөз"])
    # At the bottom its down button is disabled: the focus goes to the up button of the same item.
    expect(page.locator(f"#move-item-{a.pk} button[value=down]")).to_be_disabled()
    expect(page.locator(f"#move-item-{a.pk} button[value=up]")).to_be_focused()
    assert_accessible(page)
    assert list(Item.objects.filter(section=section).values_list("pk", flat=True)) == [b.pk, c.pk, a.pk]

    # Every published version is listed, and any of them can be read.
    page.goto(url(f"/content/items/{a.pk}/versions/"))
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.locator(f"#versions a[href='/content/items/{a.pk}/versions/1/']").click()
    expect(page.locator(".qh-page-body")).to_have_text("Алғы сөз")
    assert_accessible(page)

    # Hidden from students again, and a new section added.
    page.goto(url(f"/content/items/{a.pk}/"))
    page.locator("#unpublish").click()
    expect(page.locator("#item-status")).to_have_class(re.compile(r"text-bg-secondary"))
    assert_accessible(page)
    page.goto(url(f"/content/courses/{course.pk}/sections/new/"))
    assert_accessible(page)
    page.locator("#id_name_kk").fill("2-апта")
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/content/courses/{course.pk}/#section-\d+$"))
    assert list(course.sections.values_list("name_kk", flat=True)) == ["1-апта", "2-апта"]
