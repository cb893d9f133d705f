"""e-UMK writes: creating (and new versions), filling, the review workflow, the component list, the api."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from qashyq.academics.tests.factories import DisciplineFactory
from qashyq.content import api
from qashyq.content.data import EumkReviewAction, EumkStatus
from qashyq.content.models import Eumk, EumkComponentType, EumkLink, EumkReview
from qashyq.content.services import eumk as services
from qashyq.content.tests.catalogue_helpers import (
    DEFAULT_CODES,
    catalogue_defaults,  # noqa: F401 (autouse)
    component,
    events,
    fill,
    make_eumk,
    make_resource,
    teaching_world,
)
from qashyq.content.tests.factories import ItemFactory


@pytest.fixture
def world(db, make_user):
    world = teaching_world(make_user)
    world["resource"] = make_resource(disciplines=(world["discipline"],), name_kk="Информатика оқулығы")
    return world


@pytest.fixture
def teacher(world):
    return world["people"]["teacher"]


@pytest.fixture
def didactics(world):
    return world["people"]["didactics"]


@pytest.fixture
def eumk(world, teacher):
    return services.eumk_create(actor=teacher, discipline_id=world["discipline"].pk, year_id=world["year"].pk)


def snapshot(eumk):
    eumk.refresh_from_db()
    return (
        eumk.status,
        eumk.submitted_at,
        eumk.approved_on,
        eumk.approved_by_id,
        EumkLink.objects.filter(eumk=eumk).count(),
        EumkReview.objects.filter(eumk=eumk).count(),
        len(events("content.eumk_submitted", eumk)),
        len(events("content.eumk_returned", eumk)),
        len(events("content.eumk_approved", eumk)),
    )


def submitted(eumk, world, actor):
    fill(eumk, world["resource"])
    return services.eumk_submit(actor=actor, eumk=eumk)


class TestCreate:
    def test_exact_values(self, world, teacher, eumk):
        eumk.refresh_from_db()
        assert (eumk.discipline_id, eumk.year_id, eumk.status, eumk.based_on_id) == (
            world["discipline"].pk,
            world["year"].pk,
            EumkStatus.INCOMPLETE,
            None,
        )
        assert eumk.created_by == teacher
        assert (eumk.submitted_at, eumk.approved_on, eumk.approved_by) == (None, None, None)
        [event] = events("content.eumk_created", eumk)
        assert event.after == {
            "discipline_id": world["discipline"].pk,
            "year_id": world["year"].pk,
            "status": "incomplete",
            "based_on": None,
            "links_copied": 0,
        }

    def test_one_per_discipline_and_year(self, world, didactics, eumk):
        with pytest.raises(ValidationError) as caught:
            services.eumk_create(actor=didactics, discipline_id=world["discipline"].pk, year_id=world["year"].pk)
        assert caught.value.message_dict["year"] == ["The e-UMK of INF101 Informatics for 2026–2027 already exists."]
        assert Eumk.objects.count() == 1

    def test_who_may_start_one(self, world):
        people = world["people"]
        for role in ("tutor", "administration", "head", "student", "it_support"):
            with pytest.raises(PermissionDenied):
                services.eumk_create(actor=people[role], discipline_id=world["discipline"].pk, year_id=world["year"].pk)
        with pytest.raises(PermissionDenied):  # a teacher of another discipline
            services.eumk_create(
                actor=world["other_teacher"], discipline_id=world["discipline"].pk, year_id=world["year"].pk
            )
        assert not Eumk.objects.exists()
        made = services.eumk_create(
            actor=people["didactics"], discipline_id=world["other"].pk, year_id=world["year"].pk
        )
        assert made.created_by == people["didactics"]

    def test_unknown_discipline_or_year(self, world, didactics):
        with pytest.raises(ValidationError) as caught:
            services.eumk_create(actor=didactics, discipline_id=999_999, year_id=world["year"].pk)
        assert "discipline" in caught.value.message_dict
        with pytest.raises(ValidationError) as caught:
            services.eumk_create(actor=didactics, discipline_id=world["discipline"].pk, year_id=999_999)
        assert "year" in caught.value.message_dict
        assert not Eumk.objects.exists()

    def test_a_new_version_copies_the_previous_years_materials(self, world, didactics, teacher):
        previous = make_eumk(world["discipline"], world["last_year"], created_by=didactics, status="approved")
        links = fill(previous, world["resource"])
        EumkLink.objects.create(eumk=previous, component=component("glossary"), item=world["item"])
        older = make_eumk(world["discipline"], _year(2024), created_by=didactics)
        EumkLink.objects.create(eumk=older, component=component("glossary"), resource=world["resource"])

        eumk = services.eumk_create(
            actor=teacher, discipline_id=world["discipline"].pk, year_id=world["year"].pk, copy_previous=True
        )
        assert eumk.based_on == previous
        assert eumk.status == EumkStatus.INCOMPLETE
        copied = sorted(eumk.links.values_list("component__code", "item_id", "resource_id"), key=str)
        expected = sorted(
            [(link.component.code, None, world["resource"].pk) for link in links]
            + [("glossary", world["item"].pk, None)],
            key=str,
        )
        assert copied == expected
        assert previous.links.count() == len(links) + 1  # the old version is untouched
        assert events("content.eumk_created", eumk)[0].after["links_copied"] == len(links) + 1

    def test_copy_without_an_earlier_version_is_refused(self, world, teacher):
        make_eumk(world["discipline"], _year(2027), created_by=teacher)  # later, not earlier
        with pytest.raises(ValidationError) as caught:
            services.eumk_create(
                actor=teacher, discipline_id=world["discipline"].pk, year_id=world["year"].pk, copy_previous=True
            )
        assert caught.value.message_dict["copy_previous"] == [
            "INF101 Informatics has no e-UMK of an earlier year to copy."
        ]
        assert Eumk.objects.count() == 1


def _year(start):
    from qashyq.content.tests.catalogue_helpers import year_of

    return year_of(start)


class TestLinks:
    def test_item_and_resource(self, world, teacher, eumk):
        link = services.eumk_link_add(
            actor=teacher, eumk=eumk, component_id=component("lectures").pk, item_id=world["item"].pk
        )
        assert (link.eumk_id, link.component.code, link.item_id, link.resource_id) == (
            eumk.pk,
            "lectures",
            world["item"].pk,
            None,
        )
        other = services.eumk_link_add(
            actor=teacher, eumk=eumk, component_id=component("literature").pk, resource_id=world["resource"].pk
        )
        assert (other.item_id, other.resource_id) == (None, world["resource"].pk)
        assert [e.after["component"] for e in events("content.eumk_link_added", eumk)] == ["lectures", "literature"]

    @pytest.mark.parametrize(
        ("target", "field"),
        [
            ("other_item", "material"),  # an item of a course of another discipline
            ("foreign_resource", "material"),  # a resource not linked to the discipline
            ("both", "material"),
            ("neither", "material"),
            ("inactive_component", "component"),
            ("duplicate", "material"),
        ],
    )
    def test_bad_links_change_nothing(self, world, teacher, eumk, target, field):
        lectures = component("lectures")
        EumkLink.objects.create(eumk=eumk, component=lectures, item=world["item"])
        kwargs = {"component_id": lectures.pk}
        if target == "other_item":
            kwargs["item_id"] = world["other_item"].pk
        elif target == "foreign_resource":
            kwargs["resource_id"] = make_resource(disciplines=(world["other"],)).pk
        elif target == "both":
            kwargs |= {"item_id": world["item"].pk, "resource_id": world["resource"].pk}
        elif target == "inactive_component":
            EumkComponentType.objects.filter(code="glossary").update(active=False)
            kwargs = {"component_id": component("glossary").pk, "item_id": world["item"].pk}
        elif target == "duplicate":
            kwargs["item_id"] = world["item"].pk
        with pytest.raises(ValidationError) as caught:
            services.eumk_link_add(actor=teacher, eumk=eumk, **kwargs)
        assert field in caught.value.message_dict
        assert EumkLink.objects.filter(eumk=eumk).count() == 1
        assert events("content.eumk_link_added", eumk) == []

    def test_only_editors(self, world, eumk):
        for user in (world["people"]["tutor"], world["people"]["head"], world["other_teacher"]):
            with pytest.raises(PermissionDenied):
                services.eumk_link_add(
                    actor=user, eumk=eumk, component_id=component("lectures").pk, item_id=world["item"].pk
                )
        assert not EumkLink.objects.exists()

    def test_remove(self, world, teacher, eumk):
        link = services.eumk_link_add(
            actor=teacher, eumk=eumk, component_id=component("lectures").pk, item_id=world["item"].pk
        )
        services.eumk_link_remove(actor=teacher, link=link)
        assert not EumkLink.objects.filter(eumk=eumk).exists()
        [event] = events("content.eumk_link_removed", eumk)
        assert event.before == {"link": link.pk, "component": "lectures", "item": world["item"].pk, "resource": None}

    @pytest.mark.parametrize("status", [EumkStatus.UNDER_REVIEW, EumkStatus.APPROVED])
    def test_frozen_unless_incomplete(self, world, teacher, didactics, eumk, status):
        link = EumkLink.objects.create(eumk=eumk, component=component("lectures"), item=world["item"])
        Eumk.objects.filter(pk=eumk.pk).update(status=status)
        eumk.refresh_from_db()
        for actor in (teacher, didactics):
            with pytest.raises(ValidationError) as caught:
                services.eumk_link_add(
                    actor=actor, eumk=eumk, component_id=component("syllabus").pk, resource_id=world["resource"].pk
                )
            assert caught.value.code == "frozen"
            with pytest.raises(ValidationError):
                services.eumk_link_remove(actor=actor, link=link)
        assert list(EumkLink.objects.filter(eumk=eumk)) == [link]


class TestSubmit:
    def test_refused_with_missing_components_changes_nothing(self, world, teacher, eumk):
        fill(eumk, world["resource"], skip=("lectures", "glossary"))
        before = snapshot(eumk)
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            services.eumk_submit(actor=teacher, eumk=eumk)
        assert caught.value.messages == [
            "Every required component needs at least one material. Missing: “Lecture materials”, “Glossary”."
        ]
        assert snapshot(eumk) == before
        assert before[0] == EumkStatus.INCOMPLETE

    def test_the_message_names_components_in_the_users_language(self, world, teacher, eumk):
        fill(eumk, world["resource"], skip=("syllabus",))
        with translation.override("ru"), pytest.raises(ValidationError) as caught:
            services.eumk_submit(actor=teacher, eumk=eumk)
        assert "“Силлабус”" in caught.value.messages[0]

    def test_optional_and_inactive_components_are_not_needed(self, world, teacher, eumk):
        EumkComponentType.objects.filter(code="glossary").update(required=False)
        EumkComponentType.objects.filter(code="literature").update(active=False)
        fill(eumk, world["resource"])
        assert set(eumk.links.values_list("component__code", flat=True)) == set(DEFAULT_CODES) - {
            "glossary",
            "literature",
        }
        services.eumk_submit(actor=teacher, eumk=eumk)
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.UNDER_REVIEW

    def test_exact_values(self, world, teacher, eumk):
        fill(eumk, world["resource"])
        moment = timezone.now()
        result = services.eumk_submit(actor=teacher, eumk=eumk, comment="  Дайын  ")
        eumk.refresh_from_db()
        assert result.status == eumk.status == EumkStatus.UNDER_REVIEW
        assert eumk.submitted_at >= moment
        [review] = eumk.reviews.all()
        assert (review.actor, review.action, review.comment) == (teacher, EumkReviewAction.SUBMITTED, "Дайын")
        [event] = events("content.eumk_submitted", eumk)
        assert event.before == {"status": "incomplete", "approved_on": None, "approved_by": None}
        assert event.after == {"status": "under_review", "approved_on": None, "approved_by": None}
        assert event.reason == "Дайын"

    def test_twice_is_refused(self, world, teacher, eumk):
        submitted(eumk, world, teacher)
        before = snapshot(eumk)
        with pytest.raises(ValidationError):
            services.eumk_submit(actor=teacher, eumk=eumk)
        assert snapshot(eumk) == before

    def test_only_editors(self, world, eumk):
        fill(eumk, world["resource"])
        before = snapshot(eumk)
        for user in (world["people"]["tutor"], world["people"]["administration"], world["other_teacher"]):
            with pytest.raises(PermissionDenied):
                services.eumk_submit(actor=user, eumk=eumk)
        assert snapshot(eumk) == before


class TestReview:
    def test_approve_exact_values(self, world, teacher, didactics, eumk):
        submitted(eumk, world, teacher)
        services.eumk_approve(actor=didactics, eumk=eumk, comment="Сәйкес келеді")
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.APPROVED
        assert eumk.approved_on == timezone.localdate()
        assert eumk.approved_by == didactics
        assert [(r.action, r.actor_id, r.comment) for r in eumk.reviews.all()] == [
            (EumkReviewAction.SUBMITTED, teacher.pk, ""),
            (EumkReviewAction.APPROVED, didactics.pk, "Сәйкес келеді"),
        ]
        [event] = events("content.eumk_approved", eumk)
        assert event.actor_id == didactics.pk
        assert event.before == {"status": "under_review", "approved_on": None, "approved_by": None}
        assert event.after == {
            "status": "approved",
            "approved_on": timezone.localdate().isoformat(),
            "approved_by": didactics.pk,
        }

    @pytest.mark.parametrize("role", ["teacher", "tutor", "administration", "head", "student", "it_support"])
    def test_approve_by_anyone_but_the_didactic_means_service_is_refused(self, world, teacher, eumk, role):
        submitted(eumk, world, teacher)
        before = snapshot(eumk)
        with pytest.raises(PermissionDenied):
            services.eumk_approve(actor=world["people"][role], eumk=eumk)
        assert snapshot(eumk) == before

    def test_approve_needs_review_and_every_required_component(self, world, teacher, didactics, eumk):
        with pytest.raises(ValidationError):  # still incomplete
            services.eumk_approve(actor=didactics, eumk=eumk)
        submitted(eumk, world, teacher)
        # The service made another component required while it waited for review.
        EumkComponentType.objects.create(code="video", name_kk="Бейнедәрістер", name_en="Video lectures", position=9)
        before = snapshot(eumk)
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            services.eumk_approve(actor=didactics, eumk=eumk)
        assert "“Video lectures”" in caught.value.messages[0]
        assert snapshot(eumk) == before

    def test_return_without_a_comment_is_refused(self, world, teacher, didactics, eumk):
        submitted(eumk, world, teacher)
        before = snapshot(eumk)
        for comment in ("", "   \n "):
            with pytest.raises(ValidationError) as caught:
                services.eumk_return(actor=didactics, eumk=eumk, comment=comment)
            assert "comment" in caught.value.message_dict
        assert snapshot(eumk) == before

    def test_return_exact_values(self, world, teacher, didactics, eumk):
        submitted(eumk, world, teacher)
        services.eumk_return(actor=didactics, eumk=eumk, comment="Силлабус ескі")
        eumk.refresh_from_db()
        assert (eumk.status, eumk.submitted_at, eumk.approved_on, eumk.approved_by) == (
            EumkStatus.INCOMPLETE,
            None,
            None,
            None,
        )
        assert eumk.reviews.last().action == EumkReviewAction.RETURNED
        assert eumk.reviews.last().comment == "Силлабус ескі"
        [event] = events("content.eumk_returned", eumk)
        assert event.reason == "Силлабус ескі"
        assert (event.before["status"], event.after["status"]) == ("under_review", "incomplete")
        # The teacher fixes it and submits again.
        services.eumk_submit(actor=teacher, eumk=eumk)
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.UNDER_REVIEW

    def test_returning_an_approved_eumk_withdraws_the_approval(self, world, teacher, didactics, eumk):
        submitted(eumk, world, teacher)
        services.eumk_approve(actor=didactics, eumk=eumk)
        assert api.eumk_coverage(programme_id=world["programme"].pk, year_id=world["year"].pk).disciplines[0].approved
        services.eumk_return(actor=didactics, eumk=eumk, comment="Жаңа стандарт")
        eumk.refresh_from_db()
        assert (eumk.status, eumk.approved_on, eumk.approved_by) == (EumkStatus.INCOMPLETE, None, None)
        [event] = events("content.eumk_returned", eumk)
        assert event.before["approved_by"] == didactics.pk
        assert event.after == {"status": "incomplete", "approved_on": None, "approved_by": None}
        assert (
            not api.eumk_coverage(programme_id=world["programme"].pk, year_id=world["year"].pk).disciplines[0].approved
        )
        # Now the materials may change again.
        services.eumk_link_add(
            actor=teacher, eumk=eumk, component_id=component("lectures").pk, item_id=world["item"].pk
        )

    def test_return_by_a_teacher_is_refused_and_an_incomplete_one_cannot_be_returned(
        self, world, teacher, didactics, eumk
    ):
        with pytest.raises(ValidationError):
            services.eumk_return(actor=didactics, eumk=eumk, comment="?")
        submitted(eumk, world, teacher)
        before = snapshot(eumk)
        with pytest.raises(PermissionDenied):
            services.eumk_return(actor=teacher, eumk=eumk, comment="Қайтарамын")
        assert snapshot(eumk) == before

    def test_comments(self, world, teacher, didactics, eumk):
        services.eumk_comment(actor=didactics, eumk=eumk, comment="Глоссарийді толықтырыңыз")
        services.eumk_comment(actor=teacher, eumk=eumk, comment="Толықтырдым")
        assert [(r.actor_id, r.action, r.comment) for r in eumk.reviews.all()] == [
            (didactics.pk, EumkReviewAction.COMMENTED, "Глоссарийді толықтырыңыз"),
            (teacher.pk, EumkReviewAction.COMMENTED, "Толықтырдым"),
        ]
        eumk.refresh_from_db()
        assert eumk.status == EumkStatus.INCOMPLETE
        with pytest.raises(ValidationError):
            services.eumk_comment(actor=didactics, eumk=eumk, comment=" ")
        with pytest.raises(PermissionDenied):
            services.eumk_comment(actor=world["people"]["head"], eumk=eumk, comment="Мен де")
        assert eumk.reviews.count() == 2


class TestComponentTypes:
    def test_create_at_the_end_with_a_made_code(self, didactics):
        made = services.component_type_create(
            actor=didactics, name_kk="Бейнедәрістер", name_ru="Видеолекции", name_en="Video lectures", required=False
        )
        assert (made.code, made.position, made.required, made.active) == ("video-lectures", 8, False, True)
        again = services.component_type_create(actor=didactics, name_kk="Бейнедәрістер", name_en="Video lectures")
        assert (again.code, again.position, again.required) == ("video-lectures-2", 9, True)
        kazakh_only = services.component_type_create(actor=didactics, name_kk="Кейстер")
        assert kazakh_only.code == "component"
        assert events("content.eumk_component_created", made)[0].after["name_en"] == "Video lectures"

    def test_create_refusals_change_nothing(self, didactics, make_user):
        count = EumkComponentType.objects.count()
        with pytest.raises(ValidationError) as caught:
            services.component_type_create(actor=didactics, name_kk="Силлабус 2", code="syllabus")
        assert "code" in caught.value.message_dict
        with pytest.raises(ValidationError):
            services.component_type_create(actor=didactics, name_kk="")
        with pytest.raises(PermissionDenied):
            services.component_type_create(actor=make_user("teacher"), name_kk="Кейстер")
        assert EumkComponentType.objects.count() == count

    def test_rename_make_optional_take_out_of_use(self, didactics, make_user):
        glossary = component("glossary")
        services.component_type_update(
            actor=didactics,
            component=glossary,
            name_kk="Терминдер сөздігі",
            name_ru="Глоссарий",
            name_en="Glossary of terms",
            required=False,
            active=False,
        )
        glossary.refresh_from_db()
        assert (glossary.name_kk, glossary.name_en, glossary.required, glossary.active) == (
            "Терминдер сөздігі",
            "Glossary of terms",
            False,
            False,
        )
        [event] = events("content.eumk_component_updated", glossary)
        assert event.before == {"name_kk": "Глоссарий", "name_en": "Glossary", "required": True, "active": True}
        with pytest.raises(PermissionDenied):
            services.component_type_update(
                actor=make_user("head"), component=glossary, name_kk="X", required=True, active=True
            )
        glossary.refresh_from_db()
        assert glossary.name_kk == "Терминдер сөздігі"

    def test_move(self, didactics):
        def order():
            return list(EumkComponentType.objects.order_by("position", "pk").values_list("code", flat=True))

        services.component_type_move(actor=didactics, component=component("glossary"), up=True)
        assert order() == ["syllabus", "lectures", "practical", "independent", "glossary", "control", "literature"]
        services.component_type_move(actor=didactics, component=component("syllabus"), up=False)
        assert order() == ["lectures", "syllabus", "practical", "independent", "glossary", "control", "literature"]
        services.component_type_move(actor=didactics, component=component("lectures"), up=True)  # already first
        services.component_type_move(actor=didactics, component=component("literature"), up=False)  # already last
        assert order() == ["lectures", "syllabus", "practical", "independent", "glossary", "control", "literature"]
        assert list(EumkComponentType.objects.order_by("position").values_list("position", flat=True)) == list(
            range(1, 8)
        )
        assert len(events("content.eumk_component_moved")) >= 2


class TestApi:
    def test_coverage(self, world, teacher, didactics, django_assert_num_queries):
        programme, year = world["programme"], world["year"]
        eumk = services.eumk_create(actor=teacher, discipline_id=world["discipline"].pk, year_id=year.pk)
        with django_assert_num_queries(2):
            coverage = api.eumk_coverage(programme_id=programme.pk, year_id=year.pk)
        assert (coverage.programme_id, coverage.year_id, coverage.complete) == (programme.pk, year.pk, False)
        assert [
            (d.discipline_code, d.period_number, d.approved, d.eumk_id, d.status) for d in coverage.disciplines
        ] == [("INF101", 1, False, eumk.pk, "incomplete"), ("MAT102", 2, False, None, "")]
        assert [d.discipline_code for d in coverage.missing] == ["INF101", "MAT102"]

        submitted(eumk, world, teacher)
        services.eumk_approve(actor=didactics, eumk=eumk)
        coverage = api.eumk_coverage(programme_id=programme.pk, year_id=year.pk)
        assert [(d.discipline_code, d.approved, d.status) for d in coverage.disciplines] == [
            ("INF101", True, "approved"),
            ("MAT102", False, ""),
        ]
        # Approved last year is not approved this year.
        make_eumk(world["other"], world["last_year"], created_by=didactics, status="approved")
        assert [d.discipline_code for d in api.eumk_coverage(programme_id=programme.pk, year_id=year.pk).missing] == [
            "MAT102"
        ]
        other = make_eumk(world["other"], year, created_by=didactics, status="approved", approved_on=date(2026, 9, 1))
        coverage = api.eumk_coverage(programme_id=programme.pk, year_id=year.pk)
        assert coverage.complete
        assert coverage.disciplines[1].eumk_id == other.pk

    def test_coverage_of_the_current_year_by_default(self, world, didactics, monkeypatch):
        make_eumk(world["discipline"], world["year"], created_by=didactics, status="approved")
        make_eumk(world["other"], world["last_year"], created_by=didactics, status="approved")
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 10, 1))
        coverage = api.eumk_coverage(programme_id=world["programme"].pk)
        assert coverage.year_id == world["year"].pk
        assert [d.discipline_code for d in coverage.missing] == ["MAT102"]
        assert [d.code for d in api.eumk_missing(discipline_ids=[world["other"].pk])] == ["MAT102"]
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 10, 1))
        coverage = api.eumk_coverage(programme_id=world["programme"].pk)
        assert coverage.year_id == world["last_year"].pk
        assert [d.discipline_code for d in coverage.missing] == ["INF101"]
        assert api.eumk_missing(discipline_ids=[world["other"].pk]) == []

    def test_coverage_of_an_empty_curriculum_and_without_years(self, world):
        from qashyq.academics.tests.factories import ProgrammeFactory

        empty = api.eumk_coverage(programme_id=ProgrammeFactory().pk, year_id=world["year"].pk)
        assert (empty.disciplines, empty.complete) == ((), True)
        nothing = api.eumk_coverage(programme_id=world["programme"].pk, year_id=999_999)
        assert [d.approved for d in nothing.disciplines] == [False, False]

    def test_missing(self, world, didactics, django_assert_num_queries):
        third = DisciplineFactory(code="AAA001")
        make_eumk(world["discipline"], world["year"], created_by=didactics, status="approved")
        make_eumk(world["other"], world["year"], created_by=didactics, status="under_review")
        ids = [world["other"].pk, world["discipline"].pk, third.pk, third.pk]
        with django_assert_num_queries(2):
            missing = api.eumk_missing(discipline_ids=ids, year_id=world["year"].pk)
        assert [(d.code, d.name_en) for d in missing] == [("AAA001", ""), ("MAT102", "Mathematics")]
        assert api.eumk_missing(discipline_ids=[], year_id=world["year"].pk) == []
        assert api.eumk_missing(discipline_ids=[world["discipline"].pk], year_id=world["year"].pk) == []
        assert [
            d.code for d in api.eumk_missing(discipline_ids=[world["discipline"].pk], year_id=world["last_year"].pk)
        ] == ["INF101"]

    def test_an_item_of_the_discipline_from_another_section_is_fine(self, world, teacher, eumk):
        item = ItemFactory(section__course=world["course"])
        services.eumk_link_add(actor=teacher, eumk=eumk, component_id=component("practical").pk, item_id=item.pk)
        assert eumk.links.get().item == item
