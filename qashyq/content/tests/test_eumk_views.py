"""e-UMK pages: the list, starting one, its page (links, submission, review), components, coverage and its export."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from qashyq.academics.tests.factories import CurriculumEntryFactory, DisciplineFactory
from qashyq.content.data import EumkStatus
from qashyq.content.models import Eumk, EumkComponentType, EumkLink, EumkReview
from qashyq.content.tests.catalogue_helpers import (
    catalogue_defaults,  # noqa: F401 (autouse)
    component,
    events,
    fill,
    make_eumk,
    make_resource,
    teaching_world,
)
from qashyq.content.tests.factories import ItemFactory

LIST = reverse("content:eumk-list")
CREATE = reverse("content:eumk-create")
COMPONENTS = reverse("content:eumk-components")
COVERAGE = reverse("content:coverage")
EXPORT = reverse("content:coverage-export")
MFA = ("administration", "head", "it_support")


def detail(eumk):
    return reverse("content:eumk-detail", kwargs={"eumk_id": eumk.pk})


def post_url(name, eumk):
    return reverse(f"content:{name}", kwargs={"eumk_id": eumk.pk})


@pytest.fixture
def world(db, make_user, enrol_totp):
    world = teaching_world(make_user)
    for role in MFA:
        enrol_totp(world["people"][role])
    world["resource"] = make_resource(disciplines=(world["discipline"],), name_kk="Информатика оқулығы")
    didactics = world["people"]["didactics"]
    world["eumk"] = make_eumk(world["discipline"], world["year"], created_by=world["people"]["teacher"])
    world["foreign"] = make_eumk(world["other"], world["year"], created_by=didactics)
    return world


@pytest.fixture(autouse=True)
def _this_year(monkeypatch):
    """Today is in the 2026–2027 academic year of the world."""
    from datetime import date

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 10, 1))


def as_(client, world, who):
    user = world["other_teacher"] if who == "other_teacher" else world["people"][who]
    client.force_login(user)
    return client


class TestList:
    @pytest.mark.parametrize(
        ("who", "own", "foreign"),
        [
            ("didactics", True, True),
            ("administration", True, True),
            ("head", True, True),
            ("teacher", True, False),
            ("tutor", True, False),
            ("other_teacher", False, True),
        ],
    )
    def test_who_sees_which(self, client, world, who, own, foreign):
        response = as_(client, world, who).get(LIST)
        assert response.status_code == 200
        page = response.content.decode()
        assert (detail(world["eumk"]) in page) is own
        assert (detail(world["foreign"]) in page) is foreign
        assert (COVERAGE in page) is (who in ("didactics", "administration", "head"))
        assert (COMPONENTS in page) is (who == "didactics")
        assert (f'href="{CREATE}"' in page) is (who in ("didactics", "teacher", "other_teacher"))

    @pytest.mark.parametrize("who", ["student", "it_support"])
    def test_others_get_404(self, client, world, who):
        assert as_(client, world, who).get(LIST).status_code == 404

    def test_filters_and_the_current_year_by_default(self, client, world):
        client = as_(client, world, "didactics")
        last = make_eumk(world["discipline"], world["last_year"], created_by=world["people"]["didactics"])
        page = client.get(LIST).content.decode()
        assert detail(world["eumk"]) in page
        assert detail(last) not in page
        page = client.get(LIST, {"year": "", "q": "информатика"}).content.decode()
        assert detail(world["eumk"]) in page
        assert detail(last) in page
        assert detail(world["foreign"]) not in page
        Eumk.objects.filter(pk=world["foreign"].pk).update(status=EumkStatus.APPROVED)
        page = client.get(LIST, {"year": world["year"].pk, "status": "approved"}).content.decode()
        assert (detail(world["eumk"]) in page, detail(world["foreign"]) in page) == (False, True)
        assert client.get(LIST, {"status": "lost"}).status_code == 400

    def test_pages_keep_the_current_year(self, client, world):
        for _ in range(50):
            make_eumk(DisciplineFactory(), world["year"], created_by=world["people"]["didactics"])
        last = make_eumk(world["discipline"], world["last_year"], created_by=world["people"]["didactics"])
        client = as_(client, world, "didactics")
        first = client.get(LIST)
        assert f"year={world['year'].pk}" in first.context["query"]
        second = client.get(LIST, {"page": 2})
        assert second.context["page"].paginator.count == 52
        assert detail(last) not in second.content.decode()
        assert client.get(LIST, {"year": "", "page": 2}).context["page"].paginator.count == 53

    def test_a_teacher_is_offered_to_start_the_missing_ones(self, client, world):
        Eumk.objects.filter(pk=world["eumk"].pk).delete()
        page = as_(client, world, "teacher").get(LIST).content.decode()
        assert f"{CREATE}?discipline={world['discipline'].pk}&amp;year={world['year'].pk}" in page

    def test_queries_do_not_grow(self, client, world, django_assert_num_queries):
        client = as_(client, world, "didactics")
        client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        count = len(few.captured_queries)
        for _ in range(20):
            make_eumk(DisciplineFactory(), world["year"], created_by=world["people"]["didactics"], status="approved")
        with django_assert_num_queries(count):
            assert len(client.get(LIST).context["page"].object_list) == 22


class TestCreate:
    def test_a_teacher_starts_the_eumk_of_their_discipline(self, client, world):
        Eumk.objects.filter(pk=world["eumk"].pk).delete()
        client = as_(client, world, "teacher")
        response = client.get(CREATE, {"discipline": world["discipline"].pk})
        assert response.status_code == 200
        assert [value for value, _label in response.context["form"].fields["discipline"].choices if value] == [
            world["discipline"].pk
        ]
        response = client.post(CREATE, {"discipline": world["discipline"].pk, "year": world["year"].pk})
        eumk = Eumk.objects.get(discipline=world["discipline"], year=world["year"])
        assert response.status_code == 302
        assert response.url == detail(eumk)

    def test_refusals(self, client, world):
        client = as_(client, world, "teacher")
        # Another discipline is not among the choices; the same year twice is refused with a message.
        response = client.post(CREATE, {"discipline": world["other"].pk, "year": world["year"].pk})
        assert response.status_code == 400
        response = client.post(CREATE, {"discipline": world["discipline"].pk, "year": world["year"].pk})
        assert response.status_code == 400
        assert "already exists" in response.content.decode() or "бар" in response.content.decode()
        response = client.post(
            CREATE, {"discipline": world["discipline"].pk, "year": world["last_year"].pk, "copy_previous": "on"}
        )
        assert response.status_code == 400
        assert 'id="id_copy_previous_error"' in response.content.decode()
        assert Eumk.objects.count() == 2

    @pytest.mark.parametrize("who", ["tutor", "administration", "head", "student"])
    def test_who_may_not(self, client, world, who):
        assert as_(client, world, who).get(CREATE).status_code == 404

    def test_didactics_may_start_any_with_a_copy(self, client, world):
        client = as_(client, world, "didactics")
        previous = make_eumk(world["other"], world["last_year"], created_by=world["people"]["didactics"])
        fill(previous, make_resource(disciplines=(world["other"],)))
        Eumk.objects.filter(pk=world["foreign"].pk).delete()
        response = client.post(
            CREATE, {"discipline": world["other"].pk, "year": world["year"].pk, "copy_previous": "on"}
        )
        assert response.status_code == 302
        eumk = Eumk.objects.get(discipline=world["other"], year=world["year"])
        assert eumk.based_on == previous
        assert eumk.links.count() == 7


class TestDetail:
    @pytest.mark.parametrize(
        ("who", "status", "editable", "reviewer"),
        [
            ("teacher", 200, True, False),
            ("didactics", 200, True, True),
            ("tutor", 200, False, False),
            ("administration", 200, False, False),
            ("head", 200, False, False),
            ("other_teacher", 404, None, None),
            ("student", 404, None, None),
            ("it_support", 404, None, None),
        ],
    )
    def test_matrix(self, client, world, who, status, editable, reviewer):
        response = as_(client, world, who).get(detail(world["eumk"]))
        assert response.status_code == status
        if status != 200:
            return
        page = response.content.decode()
        assert ('id="link-form"' in page) is editable
        assert (post_url("eumk-submit", world["eumk"]) in page) is editable
        assert ('value="approve"' in page) is False  # not under review yet
        assert (post_url("eumk-review", world["eumk"]) in page) is (editable or reviewer)
        for code in ("syllabus", "lectures", "literature"):
            assert f'id="component-{code}"' in page

    def test_missing_is_404(self, client, world):
        assert as_(client, world, "didactics").get("/content/eumk/999999/").status_code == 404

    def test_shows_materials_and_what_may_be_linked(self, client, world):
        EumkLink.objects.create(eumk=world["eumk"], component=component("lectures"), item=world["item"])
        EumkLink.objects.create(eumk=world["eumk"], component=component("literature"), resource=world["resource"])
        response = as_(client, world, "teacher").get(detail(world["eumk"]))
        page = response.content.decode()
        assert "Кіріспе дәріс" in page
        assert "INF101-26" in page
        assert "Информатика оқулығы" in page
        materials = dict(response.context["link_form"].fields["material"].choices)
        flat = {value for group in materials.values() if isinstance(group, list) for value, _ in group}
        assert f"item:{world['item'].pk}" in flat
        assert f"resource:{world['resource'].pk}" in flat
        assert f"item:{world['other_item'].pk}" not in flat
        assert [c.code for c in response.context["page"].missing] == [
            "syllabus",
            "practical",
            "independent",
            "control",
            "glossary",
        ]

    def test_queries_do_not_grow_with_materials(self, client, world, django_assert_num_queries):
        client = as_(client, world, "teacher")
        client.get(detail(world["eumk"]))
        with CaptureQueriesContext(connection) as few:
            client.get(detail(world["eumk"]))
        count = len(few.captured_queries)
        for n in range(15):
            item = ItemFactory(section__course=world["course"], name_kk=f"Тақырып {n}")
            EumkLink.objects.create(eumk=world["eumk"], component=component("practical"), item=item)
            resource = make_resource(disciplines=(world["discipline"],), name_kk=f"Құрал {n}")
            EumkLink.objects.create(eumk=world["eumk"], component=component("literature"), resource=resource)
            EumkReview.objects.create(eumk=world["eumk"], actor=world["people"]["didactics"], action="commented")
        with django_assert_num_queries(count):
            client.get(detail(world["eumk"]))


class TestLinks:
    def test_add_and_remove(self, client, world):
        client = as_(client, world, "teacher")
        eumk = world["eumk"]
        response = client.post(
            post_url("eumk-link-add", eumk),
            {"component": component("lectures").pk, "material": f"item:{world['item'].pk}"},
        )
        assert response.status_code == 302
        link = EumkLink.objects.get(eumk=eumk)
        assert (link.component.code, link.item_id) == ("lectures", world["item"].pk)
        response = client.post(reverse("content:eumk-link-remove", kwargs={"link_id": link.pk}))
        assert response.status_code == 302
        assert not EumkLink.objects.filter(eumk=eumk).exists()

    @pytest.mark.parametrize("material", ["item:other", "resource:999999", "page:1", "", "item:x"])
    def test_bad_material_gets_400(self, client, world, material):
        if material == "item:other":
            material = f"item:{world['other_item'].pk}"
        response = as_(client, world, "teacher").post(
            post_url("eumk-link-add", world["eumk"]), {"component": component("lectures").pk, "material": material}
        )
        assert response.status_code == 400
        assert 'id="id_material_error"' in response.content.decode()
        assert not EumkLink.objects.exists()

    @pytest.mark.parametrize(("who", "status"), [("tutor", 404), ("head", 404), ("other_teacher", 404)])
    def test_who_may_not(self, client, world, who, status):
        link = EumkLink.objects.create(eumk=world["eumk"], component=component("lectures"), item=world["item"])
        client = as_(client, world, who)
        response = client.post(
            post_url("eumk-link-add", world["eumk"]),
            {"component": component("syllabus").pk, "material": f"resource:{world['resource'].pk}"},
        )
        assert response.status_code == status
        assert client.post(reverse("content:eumk-link-remove", kwargs={"link_id": link.pk})).status_code == status
        assert list(EumkLink.objects.all()) == [link]

    def test_frozen_gets_400_with_the_reason(self, client, world):
        link = EumkLink.objects.create(eumk=world["eumk"], component=component("lectures"), item=world["item"])
        Eumk.objects.filter(pk=world["eumk"].pk).update(status=EumkStatus.UNDER_REVIEW)
        client = as_(client, world, "teacher")
        page = client.get(detail(world["eumk"])).content.decode()
        assert 'id="link-form"' not in page
        assert reverse("content:eumk-link-remove", kwargs={"link_id": link.pk}) not in page
        response = client.post(reverse("content:eumk-link-remove", kwargs={"link_id": link.pk}))
        assert response.status_code == 400
        assert 'id="eumk-error"' in response.content.decode()
        response = client.post(
            post_url("eumk-link-add", world["eumk"]),
            {"component": component("syllabus").pk, "material": f"resource:{world['resource'].pk}"},
        )
        assert response.status_code == 400
        assert 'id="eumk-error"' in response.content.decode()
        assert list(EumkLink.objects.all()) == [link]


class TestWorkflow:
    def test_submit_with_missing_components_names_them(self, client, world):
        fill(world["eumk"], world["resource"], skip=("glossary",))
        client = as_(client, world, "teacher")
        with translation.override("en"):
            response = client.post(post_url("eumk-submit", world["eumk"]), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "eumk-error" in response.content.decode()
        world["eumk"].refresh_from_db()
        assert world["eumk"].status == EumkStatus.INCOMPLETE
        assert not EumkReview.objects.exists()
        glossary_kk = component("glossary").name_kk
        response = client.post(post_url("eumk-submit", world["eumk"]))
        assert f"“{glossary_kk}”" in response.content.decode()

    def test_submit_return_resubmit_approve(self, client, world):
        eumk = world["eumk"]
        fill(eumk, world["resource"])
        teacher = as_(client, world, "teacher")
        assert teacher.post(post_url("eumk-submit", eumk), {"comment": "Дайын"}).status_code == 302
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.UNDER_REVIEW
        # A teacher cannot approve or return (the service refuses: 403).
        assert teacher.post(post_url("eumk-review", eumk), {"action": "approve"}).status_code == 403
        assert teacher.post(post_url("eumk-review", eumk), {"action": "return", "comment": "?"}).status_code == 403

        didactics = as_(client, world, "didactics")
        page = didactics.get(detail(eumk)).content.decode()
        assert 'value="approve"' in page
        assert 'value="return"' in page
        response = didactics.post(post_url("eumk-review", eumk), {"action": "return", "comment": " "})
        assert response.status_code == 400
        assert 'id="id_comment_error"' in response.content.decode()
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.UNDER_REVIEW
        response = didactics.post(post_url("eumk-review", eumk), {"action": "return", "comment": "Силлабус ескі"})
        assert response.status_code == 302
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.INCOMPLETE

        teacher = as_(client, world, "teacher")
        page = teacher.get(detail(eumk)).content.decode()
        assert "Силлабус ескі" in page
        assert teacher.post(post_url("eumk-submit", eumk)).status_code == 302

        didactics = as_(client, world, "didactics")
        assert didactics.post(post_url("eumk-review", eumk), {"action": "approve"}).status_code == 302
        eumk.refresh_from_db()
        assert (eumk.status, eumk.approved_by, eumk.approved_on) == (
            EumkStatus.APPROVED,
            world["people"]["didactics"],
            timezone.localdate(),
        )
        page = didactics.get(detail(eumk)).content.decode()
        assert 'id="eumk-approved-by"' in page
        assert 'value="return"' in page  # the service may still return an approved one
        assert 'value="approve"' not in page
        assert [r.action for r in eumk.reviews.all()] == ["submitted", "returned", "submitted", "approved"]
        assert len(events("content.eumk_submitted", eumk)) == 2
        assert len(events("content.eumk_returned", eumk)) == 1
        assert len(events("content.eumk_approved", eumk)) == 1

    def test_comments_and_bad_actions(self, client, world):
        eumk = world["eumk"]
        client = as_(client, world, "didactics")
        assert client.post(post_url("eumk-review", eumk), {"action": "comment", "comment": "Жақсы"}).status_code == 302
        assert client.post(post_url("eumk-review", eumk), {"action": "comment"}).status_code == 400
        assert client.post(post_url("eumk-review", eumk), {"action": "burn", "comment": "x"}).status_code == 400
        response = client.post(post_url("eumk-review", eumk), {"action": "approve"})
        assert response.status_code == 400  # incomplete
        assert 'id="eumk-error"' in response.content.decode()
        assert [r.comment for r in eumk.reviews.all()] == ["Жақсы"]
        assert (
            as_(client, world, "head")
            .post(post_url("eumk-review", eumk), {"action": "comment", "comment": "Мен"})
            .status_code
            == 403
        )
        assert (
            as_(client, world, "other_teacher")
            .post(post_url("eumk-review", eumk), {"action": "comment", "comment": "Мен"})
            .status_code
            == 404
        )

    def test_get_is_not_allowed_on_actions(self, client, world):
        client = as_(client, world, "didactics")
        for name in ("eumk-submit", "eumk-review", "eumk-link-add"):
            assert client.get(post_url(name, world["eumk"])).status_code == 405


class TestComponents:
    @pytest.mark.parametrize("who", ["teacher", "administration", "head", "student"])
    def test_only_the_didactic_means_service(self, client, world, who):
        client = as_(client, world, who)
        glossary = component("glossary")
        assert client.get(COMPONENTS).status_code == 404
        assert client.get(reverse("content:eumk-component-create")).status_code == 404
        edit = reverse("content:eumk-component-edit", kwargs={"component_id": glossary.pk})
        assert client.post(edit, {"name_kk": "X"}).status_code == 404
        move = reverse("content:eumk-component-move", kwargs={"component_id": glossary.pk})
        assert client.post(move, {"direction": "up"}).status_code == 404
        assert component("glossary").name_kk == glossary.name_kk

    def test_add_edit_move(self, client, world):
        client = as_(client, world, "didactics")
        assert client.get(COMPONENTS).status_code == 200
        create = reverse("content:eumk-component-create")
        assert client.get(create).status_code == 200
        response = client.post(create, {"name_kk": "Бейнедәрістер", "name_en": "Video lectures", "required": "on"})
        assert response.status_code == 302
        video = EumkComponentType.objects.get(code="video-lectures")
        assert (video.position, video.required, video.active) == (8, True, True)
        assert client.post(create, {"name_kk": ""}).status_code == 400
        assert client.post(create, {"name_kk": "Тағы", "code": "syllabus"}).status_code == 400

        edit = reverse("content:eumk-component-edit", kwargs={"component_id": video.pk})
        assert client.get(edit).status_code == 200
        response = client.post(edit, {"name_kk": "Бейнедәрістер", "name_en": "Videos"})  # optional, out of use
        assert response.status_code == 302
        video.refresh_from_db()
        assert (video.name_en, video.required, video.active) == ("Videos", False, False)

        move = reverse("content:eumk-component-move", kwargs={"component_id": video.pk})
        assert client.post(move, {"direction": "up"}).status_code == 302
        assert list(EumkComponentType.objects.order_by("position").values_list("code", flat=True))[-2:] == [
            "video-lectures",
            "literature",
        ]
        assert client.post(move, {"direction": "sideways"}).status_code == 400
        # A component out of use is not on the e-UMK page.
        assert 'id="component-video-lectures"' not in client.get(detail(world["eumk"])).content.decode()


class TestCoverage:
    @pytest.mark.parametrize(("who", "status"), [("didactics", 200), ("administration", 200), ("head", 200)])
    def test_readers(self, client, world, who, status):
        fill(world["eumk"], world["resource"])
        Eumk.objects.filter(pk=world["eumk"].pk).update(status=EumkStatus.APPROVED, approved_on=timezone.localdate())
        response = as_(client, world, who).get(COVERAGE, {"programme": world["programme"].pk})
        assert response.status_code == status
        assert response.context["summary"] == {"total": 2, "approved": 1}
        assert response.context["year"] == "2026–2027"  # the current year by default
        page = response.content.decode()
        assert detail(world["eumk"]) in page
        assert detail(world["foreign"]) in page
        assert 'id="coverage-summary"' in page

    @pytest.mark.parametrize("who", ["teacher", "tutor", "student", "it_support"])
    def test_others_get_404(self, client, world, who):
        client = as_(client, world, who)
        assert client.get(COVERAGE).status_code == 404
        assert client.get(EXPORT).status_code == 404

    def test_another_year_and_bad_choices(self, client, world):
        client = as_(client, world, "didactics")
        response = client.get(COVERAGE, {"programme": world["programme"].pk, "year": world["last_year"].pk})
        assert response.context["summary"] == {"total": 2, "approved": 0}
        assert [row.eumk for row in response.context["rows"]] == [None, None]
        assert client.get(COVERAGE, {"programme": 999_999}).status_code == 400
        assert client.get(COVERAGE, {"year": "x"}).status_code == 400
        assert client.get(EXPORT, {"programme": 999_999}).status_code == 400

    def test_a_discipline_in_two_periods_counts_once(self, client, world):
        CurriculumEntryFactory(programme=world["programme"], discipline=world["discipline"], period_number=3)
        response = as_(client, world, "didactics").get(COVERAGE, {"programme": world["programme"].pk})
        assert len(response.context["rows"]) == 3
        assert response.context["summary"] == {"total": 2, "approved": 0}

    def test_queries_do_not_grow(self, client, world, django_assert_num_queries):
        client = as_(client, world, "didactics")
        params = {"programme": world["programme"].pk, "year": world["year"].pk}
        client.get(COVERAGE, params)
        with CaptureQueriesContext(connection) as few:
            client.get(COVERAGE, params)
        count = len(few.captured_queries)
        for n in range(20):
            discipline = DisciplineFactory()
            CurriculumEntryFactory(programme=world["programme"], discipline=discipline, period_number=1 + n % 8)
            make_eumk(discipline, world["year"], created_by=world["people"]["didactics"], status="approved")
        with django_assert_num_queries(count):
            assert len(client.get(COVERAGE, params).context["rows"]) == 22

    def test_export(self, client, world):
        Eumk.objects.filter(pk=world["eumk"].pk).update(status=EumkStatus.APPROVED, approved_on=timezone.localdate())
        with translation.override("en"):
            response = as_(client, world, "didactics").get(
                EXPORT, {"programme": world["programme"].pk}, HTTP_ACCEPT_LANGUAGE="en"
            )
        assert response.status_code == 200
        assert "eumk-coverage-6B06199-" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        assert rows[0][1].startswith("6B06199")
        data = [row for row in rows if row and row[1] in ("INF101", "MAT102")]
        assert [(r[0], r[1], r[3]) for r in data] == [(1, "INF101", 5), (2, "MAT102", 5)]
        assert data[0][5] is not None
        assert data[1][5] is None
