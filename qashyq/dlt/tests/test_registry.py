"""The DLT registry (R56): its filters give exactly the rows they should, the counts by category and type are
those of the filtered set, a page costs a fixed number of queries, the XLSX export holds the filtered rows, and
only the administration service and the head open it."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qashyq.academics.tests.factories import ProgrammeFactory
from qashyq.dlt.data import Category, DltType, EnrolmentStatus
from qashyq.dlt.permissions import registry as permissions
from qashyq.dlt.selectors import registry as selectors
from qashyq.dlt.selectors.registry import RegistryFilters, RegistryStatus, registry_page
from qashyq.dlt.tests.helpers import TODAY, dlt_world
from qashyq.dlt.tests.registry_helpers import enrol, make_order
from qashyq.records.data import OrderStatus, StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_student

pytestmark = pytest.mark.django_db

URL = reverse("dlt:registry")
EXPORT = reverse("dlt:registry-export")
MFA = {"administration", "head", "it_support"}


@pytest.fixture
def world():
    world = dlt_world()
    other = ProgrammeFactory(code="6B04101", forms_offered=["correspondence"], periods=2)
    other_group = make_group("ЭК-25-1", other, form_of_study="correspondence", admission_year=2025)
    signed = make_order(by=world.head, status=OrderStatus.IN_FORCE, order_date=date(2026, 8, 25))
    pending = make_order(by=world.head, status=OrderStatus.SIGNED, order_date=date(2026, 11, 20))
    draft = make_order(by=world.admin, status=OrderStatus.DRAFT)

    def student(last, first, programme, group):
        return make_student(programme, group=group, status=StudentStatus.ACTIVE, last_name=last, first_name=first)

    world.rows = {
        "active": enrol(
            student("Әбенова", "Дана", world.programme, world.group),
            order=signed,
            category=Category.MILITARY,
            dlt_type=DltType.NETWORK,
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 6, 30),
        ),
        "ended": enrol(
            student("Бекова", "Жанар", world.programme, world.group),
            order=signed,
            category=Category.DISABILITY,
            dlt_type=DltType.TV,
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 6, 30),
        ),
        "signed": enrol(
            student("Серікбаев", "Арман", other, other_group),
            order=pending,
            category=Category.EXCHANGE,
            dlt_type=DltType.CASE,
            starts_on=date(2027, 1, 15),
            ends_on=date(2027, 5, 31),
            status=EnrolmentStatus.SIGNED,
        ),
        "ordered": enrol(
            student("Қасымов", "Ерлан", other, other_group),
            order=draft,
            category=Category.BUSINESS_TRIP,
            dlt_type=DltType.NETWORK,
            starts_on=date(2026, 12, 1),
            ends_on=date(2027, 4, 30),
            status=EnrolmentStatus.ORDERED,
        ),
        "cancelled": enrol(
            student("Оспанов", "Тимур", world.programme, None),
            order=signed,
            category=Category.MILITARY,
            dlt_type=DltType.TV,
            starts_on=date(2026, 10, 1),
            ends_on=date(2027, 3, 31),
            status=EnrolmentStatus.CANCELLED,
        ),
    }
    world.other = other
    world.orders = {"signed": signed, "pending": pending, "draft": draft}
    return world


def names(world, **filters):
    found = selectors.enrolment_queryset(filters=RegistryFilters(**filters), today=TODAY)
    by_pk = {e.pk: key for key, e in world.rows.items()}
    return {by_pk[e.pk] for e in found}


class TestFilters:
    def test_no_filter_lists_every_enrolment(self, world):
        assert names(world) == set(world.rows)

    @pytest.mark.parametrize(
        ("category", "expected"),
        [
            (Category.MILITARY, {"active", "cancelled"}),
            (Category.DISABILITY, {"ended"}),
            (Category.EXCHANGE, {"signed"}),
            (Category.BUSINESS_TRIP, {"ordered"}),
            (Category.SHORTENED, set()),
        ],
    )
    def test_category(self, world, category, expected):
        assert names(world, category=category) == expected

    @pytest.mark.parametrize(
        ("dlt_type", "expected"),
        [
            (DltType.NETWORK, {"active", "ordered"}),
            (DltType.TV, {"ended", "cancelled"}),
            (DltType.CASE, {"signed"}),
        ],
    )
    def test_dlt_type(self, world, dlt_type, expected):
        assert names(world, dlt_type=dlt_type) == expected

    def test_programme(self, world):
        assert names(world, programme_id=world.programme.pk) == {"active", "ended", "cancelled"}
        assert names(world, programme_id=world.other.pk) == {"signed", "ordered"}

    def test_period_gives_the_enrolments_that_overlap_it(self, world):
        first, second = world.semesters
        assert names(world, period_start=first.start_date, period_end=first.end_date) == {
            "active",
            "ordered",
            "cancelled",
        }
        assert names(world, period_start=second.start_date, period_end=second.end_date) == {
            "active",
            "signed",
            "ordered",
            "cancelled",
        }
        # Touching by one day is overlapping.
        assert names(world, period_start=date(2026, 6, 30), period_end=date(2026, 6, 30)) == {"ended"}
        assert names(world, period_start=date(2027, 7, 1), period_end=date(2027, 12, 31)) == set()

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (RegistryStatus.ORDERED, {"ordered"}),
            (RegistryStatus.SIGNED, {"signed"}),
            (RegistryStatus.ACTIVE, {"active"}),
            (RegistryStatus.ENDED, {"ended"}),
            (RegistryStatus.CANCELLED, {"cancelled"}),
        ],
    )
    def test_status(self, world, status, expected):
        assert names(world, status=status) == expected

    def test_active_becomes_ended_the_day_after_its_last_day(self, world):
        active = world.rows["active"]

        def found(status, today):
            return active in selectors.enrolment_queryset(filters=RegistryFilters(status=status), today=today)

        last_day = active.ends_on
        after = last_day + timedelta(days=1)
        assert found("active", last_day)
        assert not found("ended", last_day)
        assert found("ended", after)
        assert not found("active", after)

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("Әбенова", {"active"}),
            ("әбен", {"active"}),
            ("ӘБЕНОВА ДАНА", {"active"}),
            ("abenova", {"active"}),  # the Latin spelling, folded
            ("ABENOVA dana", {"active"}),
            ("дана бекова", set()),  # every word must match the same student
            ("бекова", {"ended"}),
            ("ова", {"active", "ended"}),
            ("қасым", {"ordered"}),
            ("kasymov", set()),
            ("qasymov", {"ordered"}),
            ("   ", {"active", "ended", "signed", "ordered", "cancelled"}),
        ],
    )
    def test_name_search(self, world, q, expected):
        assert names(world, q=q) == expected

    def test_filters_combine(self, world):
        first, _second = world.semesters
        assert names(
            world,
            category=Category.MILITARY,
            dlt_type=DltType.NETWORK,
            programme_id=world.programme.pk,
            period_start=first.start_date,
            period_end=first.end_date,
            status="active",
            q="дана",
        ) == {"active"}
        assert names(world, category=Category.MILITARY, status="active", dlt_type=DltType.TV) == set()

    def test_rows_are_in_name_order(self, world):
        page = registry_page(filters=RegistryFilters(programme_id=world.programme.pk), today=TODAY)
        names = [row.enrolment.student.last_name for row in page.page.object_list]
        assert sorted(names) == sorted(["Бекова", "Оспанов", "Әбенова"])
        # Where Ә falls depends on the database's collation; Б before О does not.
        assert names.index("Бекова") < names.index("Оспанов")


class TestCounts:
    def test_counts_of_everything(self, world):
        page = registry_page(filters=RegistryFilters(), today=TODAY)
        assert page.total == 5
        assert page.page.paginator.count == 5
        assert {value: n for value, _label, n in page.by_category} == {
            Category.SHORTENED: 0,
            Category.DISABILITY: 1,
            Category.EXCHANGE: 1,
            Category.MILITARY: 2,
            Category.BUSINESS_TRIP: 1,
        }
        assert {value: n for value, _label, n in page.by_type} == {DltType.TV: 2, DltType.NETWORK: 2, DltType.CASE: 1}
        assert [label for _value, label, _n in page.by_type] == [str(t.label) for t in DltType]

    def test_counts_follow_the_filters(self, world):
        page = registry_page(filters=RegistryFilters(programme_id=world.programme.pk), today=TODAY)
        assert page.total == 3
        assert {value: n for value, _label, n in page.by_category if n} == {
            Category.MILITARY: 2,
            Category.DISABILITY: 1,
        }
        assert {value: n for value, _label, n in page.by_type if n} == {DltType.NETWORK: 1, DltType.TV: 2}

    def test_nothing_found(self, world):
        page = registry_page(filters=RegistryFilters(q="жоқ"), today=TODAY)
        assert page.total == 0
        assert list(page.page.object_list) == []
        assert all(n == 0 for _value, _label, n in page.by_category + page.by_type)

    def test_rows_say_where_the_study_stands(self, world):
        page = registry_page(filters=RegistryFilters(), today=TODAY)
        statuses = {row.enrolment.pk: row.status for row in page.page.object_list}
        assert {key: statuses[e.pk] for key, e in world.rows.items()} == {
            "active": RegistryStatus.ACTIVE,
            "ended": RegistryStatus.ENDED,
            "signed": RegistryStatus.SIGNED,
            "ordered": RegistryStatus.ORDERED,
            "cancelled": RegistryStatus.CANCELLED,
        }

    def test_pages(self, world, monkeypatch):
        monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
        first = registry_page(filters=RegistryFilters(), today=TODAY, page=1)
        last = registry_page(filters=RegistryFilters(), today=TODAY, page=3)
        beyond = registry_page(filters=RegistryFilters(), today=TODAY, page=99)
        assert first.page.paginator.num_pages == 3
        assert len(first.page.object_list) == 2
        assert len(last.page.object_list) == 1
        assert beyond.page.number == 3
        assert first.total == last.total == 5


class TestAccess:
    @pytest.mark.parametrize(
        ("roles", "expected"),
        [
            (("administration",), True),
            (("head",), True),
            (("teacher",), False),
            (("tutor",), False),
            (("didactics",), False),
            (("it_support",), False),
            (("student",), False),
            ((), False),
            (("student", "head"), True),
        ],
    )
    def test_matrix(self, make_user, roles, expected):
        user = make_user(*roles)
        assert permissions.can_view_registry(user=user) is expected
        assert permissions.can_see_iin(user=user) is expected

    def test_anonymous_and_deactivated(self, make_user):
        from django.contrib.auth.models import AnonymousUser

        assert permissions.can_view_registry(user=AnonymousUser()) is False
        assert permissions.can_see_iin(user=AnonymousUser()) is False
        gone = make_user("administration", is_active=False)
        assert permissions.can_view_registry(user=gone) is False
        assert permissions.can_see_iin(user=gone) is False

    def test_the_student_on_dlt_does_not_open_it(self, world):
        assert permissions.can_view_registry(user=world.student_user) is False


@pytest.fixture
def on_today(monkeypatch):
    """The pages read "today" from the clock: pin it to the day the helpers' dates assume."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def as_(client, enrol_totp):
    enrolled = set()

    def sign_in(user, role=""):
        if role in MFA and user.pk not in enrolled:
            enrol_totp(user)
            enrolled.add(user.pk)
        client.force_login(user)
        client.cookies["qashyq_language"] = "en"
        return client

    return sign_in


class TestPage:
    @pytest.mark.parametrize("who", ["admin", "head"])
    def test_staff_see_it(self, world, as_, on_today, who):
        response = as_(getattr(world, who), "administration" if who == "admin" else "head").get(URL)
        assert response.status_code == 200
        registry = response.context["registry"]
        assert registry.total == 5
        page = response.content.decode()
        assert "Әбенова Дана" in page
        assert reverse("dlt:registry-export") in page
        assert f'href="{reverse("dlt:order-detail", args=[world.orders["signed"].pk])}"' in page
        assert f'href="{reverse("records:student-detail", args=[world.rows["active"].student_id])}"' in page

    @pytest.mark.parametrize(
        ("who", "role"),
        [("teacher", ""), ("tutor", ""), ("didactics", ""), ("it_support", "it_support"), ("student_user", "")],
    )
    def test_others_get_404(self, world, as_, who, role):
        assert as_(getattr(world, who), role).get(URL).status_code == 404
        assert as_(getattr(world, who), role).get(EXPORT).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, world):
        assert client.get(URL).status_code == 302
        assert client.get(EXPORT).status_code == 302

    def test_post_is_not_allowed(self, world, as_):
        assert as_(world.admin, "administration").post(URL).status_code == 405

    @pytest.mark.parametrize(
        "query",
        [
            {"category": "astronaut"},
            {"dlt_type": "radio"},
            {"programme": "999999"},
            {"period": "x"},
            {"status": "gone"},
        ],
    )
    def test_bad_filters_are_400(self, world, as_, query):
        client = as_(world.admin, "administration")
        response = client.get(URL, query)
        assert response.status_code == 400
        assert response.context["registry"] is None
        assert client.get(EXPORT, query).status_code == 400

    def test_filters_from_the_query_string(self, world, as_, on_today):
        second = world.semesters[1]
        response = as_(world.head, "head").get(URL, {"period": second.pk, "dlt_type": DltType.NETWORK})
        assert response.status_code == 200
        rows = [row.enrolment.pk for row in response.context["registry"].page.object_list]
        assert set(rows) == {world.rows["active"].pk, world.rows["ordered"].pk}
        assert "dlt_type=network" in response.context["query"]

    def test_status_filter_through_the_page(self, world, as_, on_today):
        response = as_(world.head, "head").get(URL, {"status": "ended"})
        assert [row.enrolment.pk for row in response.context["registry"].page.object_list] == [world.rows["ended"].pk]

    def test_fixed_number_of_queries(self, world, as_, on_today, django_assert_num_queries):
        client = as_(world.admin, "administration")
        client.get(URL)
        with django_assert_num_queries(QUERIES) as captured:
            client.get(URL)
        few = len(captured)
        for _n in range(6):
            enrol(
                make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE),
                order=world.orders["signed"],
            )
        with django_assert_num_queries(few):
            response = client.get(URL, {"programme": world.programme.pk, "period": world.semesters[0].pk})
        assert len(response.context["registry"].page.object_list) == 8


# Session (user and roles cached), the MFA check's authenticators, then the page: programmes,
# periods, the counts, the rows.
QUERIES = 6


class TestExport:
    def read(self, response):
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "dlt-registry-2026-11-26.xlsx" in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
        # Spreadsheets hold dates as date-times (at midnight).
        rows = [[v.date() if isinstance(v, datetime) else v for v in row] for row in sheet.iter_rows(values_only=True)]
        return [row + [None] * (len(rows[0]) - len(row)) for row in rows]

    def test_the_filtered_list_with_every_column(self, world, as_, on_today):
        response = as_(world.admin, "administration").get(EXPORT, {"programme": world.programme.pk})
        assert response.status_code == 200
        header, *rows = self.read(response)
        assert header == [
            "Student",
            "IIN",
            "Programme",
            "Group",
            "Category",
            "DLT type",
            "From",
            "Until",
            "Status",
            "Order number",
            "Order date",
        ]
        active = world.rows["active"]
        ended = world.rows["ended"]
        cancelled = world.rows["cancelled"]
        order = world.orders["signed"]
        assert rows == [
            [
                ended.student.full_name,
                ended.student.iin,
                "6B06101",
                "ИС-25-1",
                str(Category.DISABILITY.label),
                str(DltType.TV.label),
                ended.starts_on,
                ended.ends_on,
                "DLT period ended",
                order.number_label,
                order.order_date,
            ],
            [
                cancelled.student.full_name,
                cancelled.student.iin,
                "6B06101",
                None,
                str(Category.MILITARY.label),
                str(DltType.TV.label),
                cancelled.starts_on,
                cancelled.ends_on,
                "Order cancelled",
                order.number_label,
                order.order_date,
            ],
            [
                active.student.full_name,
                active.student.iin,
                "6B06101",
                "ИС-25-1",
                str(Category.MILITARY.label),
                str(DltType.NETWORK.label),
                active.starts_on,
                active.ends_on,
                "Studying by DLT",
                order.number_label,
                order.order_date,
            ],
        ]

    def test_a_draft_order_has_no_number_or_date(self, world, as_, on_today):
        response = as_(world.head, "head").get(EXPORT, {"status": "ordered"})
        _header, *rows = self.read(response)
        assert len(rows) == 1
        assert rows[0][0] == world.rows["ordered"].student.full_name
        assert rows[0][-2:] == [None, None]

    def test_iin_masked_for_whoever_may_not_see_it(self, world, monkeypatch):
        from qashyq.core.iin import iin_mask
        from qashyq.dlt.views import registry as views

        row = next(selectors.registry_export_rows(filters=RegistryFilters(status="signed"), today=TODAY))
        iin = world.rows["signed"].student.iin
        assert views._export_values(row, full_iin=True)[1] == iin
        assert views._export_values(row, full_iin=False)[1] == iin_mask(iin) != iin
