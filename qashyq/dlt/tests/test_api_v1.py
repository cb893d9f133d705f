"""REST API of DLT (read only): applications (a student their own, the administration service and the head all,
others 403), orders (administration and head), plans and schedules (the student, staff, and a teacher or tutor
named on the plan), 404 for what is not yours, fixed query counts on the lists, every endpoint in the schema."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from qashyq.accounts.data import Role
from qashyq.dlt.data import ApplicationStatus, AttachmentKind, Category, DltType, DocumentType, EnrolmentStatus
from qashyq.dlt.models import ApplicationEvent, Attachment
from qashyq.dlt.tests.helpers import TODAY, make_application
from qashyq.dlt.tests.plan_helpers import planned
from qashyq.dlt.tests.registry_helpers import enrol, make_order
from qashyq.documents.models import Document
from qashyq.records.data import OrderStatus, StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

MFA = {Role.ADMINISTRATION, Role.HEAD, Role.IT_SUPPORT}
APPLICATIONS = reverse("api-dlt-application-list")
ORDERS = reverse("api-dlt-order-list")


def application_url(application_id):
    return reverse("api-dlt-application-detail", args=[application_id])


def order_url(order_id):
    return reverse("api-dlt-order-detail", args=[order_id])


def plan_url(application_id):
    return reverse("api-dlt-plan-detail", args=[application_id])


def schedule_url(application_id):
    return reverse("api-dlt-schedule-detail", args=[application_id])


@pytest.fixture
def world():
    """The DLT world's student with an accepted application (plan and schedule generated), a second student
    with a submitted application and a draft, and people of every role."""
    done = planned()
    world = done.world
    world.application = done.application
    world.plan = done.plan
    world.schedule = done.schedule
    world.other_user = _student_user(world)
    world.other_student = world.other_user.student
    world.submitted = make_application(
        world.other_student, status=ApplicationStatus.SUBMITTED, category=Category.DISABILITY
    )
    world.draft = make_application(
        make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE),
        status=ApplicationStatus.DRAFT,
    )
    ApplicationEvent.objects.create(
        application=world.application,
        actor=world.student_user,
        status_from=ApplicationStatus.DRAFT,
        status_to=ApplicationStatus.SUBMITTED,
    )
    ApplicationEvent.objects.create(
        application=world.application,
        actor=world.admin,
        status_from=ApplicationStatus.SUBMITTED,
        status_to=ApplicationStatus.UNDER_REVIEW,
        comment="Қарап жатырмын",
    )
    return world


def _student_user(world):
    from qashyq.accounts.tests.factories import UserFactory

    user = UserFactory(roles=["student"])
    make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, user=user)
    user.refresh_from_db()
    return user


@pytest.fixture
def people(world, make_user):
    return {
        "student": world.student_user,
        "other_student": world.other_user,
        "admin": world.admin,
        "head": world.head,
        "teacher": world.teacher,  # named on the plan's lines
        "tutor": world.tutor,  # named on the plan's lines
        "other_teacher": make_user(Role.TEACHER),
        "other_tutor": make_user(Role.TUTOR),
        "didactics": world.didactics,
        "it_support": world.it_support,
        "no_role": make_user(),
        "inactive_admin": make_user(Role.ADMINISTRATION, is_active=False),
    }


@pytest.fixture
def as_(client, enrol_totp, people):
    enrolled = set()

    def sign_in(who):
        user = people[who]
        if who in ("admin", "head", "it_support") and user.pk not in enrolled:
            enrol_totp(user)
            enrolled.add(user.pk)
        client.force_login(user)
        client.cookies["qashyq_language"] = "en"
        return client

    return sign_in


def every_path(world):
    """One address of each resource: the lists and the world's application, plan and schedule."""
    pk = world.application.pk
    return (APPLICATIONS, application_url(pk), ORDERS, plan_url(pk), schedule_url(pk))


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


class TestApplications:
    def test_anonymous_gets_403_everywhere(self, client, world):
        for path in every_path(world):
            assert client.get(path).status_code == 403, path

    def test_a_deactivated_account_is_not_signed_in(self, world, as_):
        client = as_("inactive_admin")
        for path in every_path(world):
            assert client.get(path).status_code == 403, path

    def test_a_student_sees_only_their_own(self, world, as_):
        own_rejected = make_application(
            world.student, status=ApplicationStatus.REJECTED, category=Category.EXCHANGE, with_document=False
        )
        assert ids(as_("student").get(APPLICATIONS)) == {world.application.pk, own_rejected.pk}
        assert ids(as_("other_student").get(APPLICATIONS)) == {world.submitted.pk}

    @pytest.mark.parametrize("who", ["admin", "head"])
    def test_staff_see_every_submitted_one(self, world, as_, who):
        assert ids(as_(who).get(APPLICATIONS)) == {world.application.pk, world.submitted.pk}

    @pytest.mark.parametrize(
        "who", ["teacher", "tutor", "other_teacher", "didactics", "it_support", "no_role", "inactive_admin"]
    )
    def test_others_get_403(self, world, as_, who):
        assert as_(who).get(APPLICATIONS).status_code == 403

    def test_filters(self, world, as_):
        client = as_("admin")
        assert ids(client.get(APPLICATIONS, {"status": "submitted"})) == {world.submitted.pk}
        assert ids(client.get(APPLICATIONS, {"category": "disability"})) == {world.submitted.pk}
        assert ids(client.get(APPLICATIONS, {"category": "military", "status": "accepted"})) == {world.application.pk}
        assert client.get(APPLICATIONS, {"status": "flying"}).status_code == 400

    def test_list_fields(self, world, as_):
        row = next(r for r in as_("head").get(APPLICATIONS).json()["results"] if r["id"] == world.application.pk)
        assert row["student"] == {"id": world.student.pk, "full_name": world.student.full_name}
        assert row["category"] == "military"
        assert row["dlt_types"] == ["network"]
        assert row["status"] == "accepted"
        assert row["granted_type"] == "network"
        assert row["starts_on"] == world.application.starts_on.isoformat()
        assert "documents" not in row

    def test_list_in_a_fixed_number_of_queries(self, world, as_, django_assert_num_queries):
        client = as_("admin")
        client.get(APPLICATIONS)
        # Session (user and roles cached), the MFA check's authenticators, the page.
        with django_assert_num_queries(3):
            assert len(client.get(APPLICATIONS).json()["results"]) == 2
        for _n in range(3):
            make_application(
                make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE),
                status=ApplicationStatus.UNDER_REVIEW,
            )
        with django_assert_num_queries(3):
            assert len(client.get(APPLICATIONS).json()["results"]) == 5

    @pytest.mark.parametrize("who", ["student", "admin", "head"])
    def test_detail_with_documents_and_trail(self, world, as_, who):
        response = as_(who).get(application_url(world.application.pk))
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == world.application.pk
        document = world.application.documents.get()
        assert body["documents"] == [
            {
                "id": document.pk,
                "doc_type": DocumentType.MILITARY,
                "name": document.file.original_name,
                "content_type": "application/pdf",
                "size": document.file.size,
                "issued_on": (TODAY - timedelta(days=10)).isoformat(),
                "description": "",
                "uploaded_at": body["documents"][0]["uploaded_at"],
                "url": reverse("dlt:application-document", args=[document.pk]),
            }
        ]
        assert [(e["status_from"], e["status_to"], e["comment"], e["actor"]["id"]) for e in body["events"]] == [
            ("draft", "submitted", "", world.student_user.pk),
            ("submitted", "under_review", "Қарап жатырмын", world.admin.pk),
        ]

    @pytest.mark.parametrize(
        "who", ["other_student", "teacher", "tutor", "other_teacher", "didactics", "it_support", "no_role"]
    )
    def test_detail_not_yours_is_404(self, world, as_, who):
        assert as_(who).get(application_url(world.application.pk)).status_code == 404

    def test_a_draft_is_the_students_own(self, world, as_):
        assert as_("admin").get(application_url(world.draft.pk)).status_code == 404
        assert as_("head").get(application_url(world.draft.pk)).status_code == 404

    def test_missing_is_404(self, world, as_):
        assert as_("admin").get(application_url(999_999)).status_code == 404


@pytest.fixture
def orders(world):
    """A DLT order in force with the world's student (all three attachments) and another student (none), and a
    draft order with a third."""
    in_force = make_order(by=world.head, status=OrderStatus.IN_FORCE, order_date=date(2026, 11, 20))
    draft = make_order(by=world.admin, status=OrderStatus.DRAFT)
    mine = enrol(
        world.student,
        order=in_force,
        application=world.application,
        category=Category.MILITARY,
        dlt_type=DltType.NETWORK,
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 12, 1),
    )
    documents = {}
    for n, kind in enumerate(AttachmentKind.values):
        document = Document.objects.create(
            kind=f"dlt.{kind}",
            title=kind,
            issued_on=TODAY,
            language="kk",
            target_type="dlt.application",
            target_id=str(world.application.pk),
            file=f"documents/2026/{kind}.pdf",
            sha256="0" * 64,
            verification_code=f"TEST{n:04d}",
        )
        Attachment.objects.create(enrolment=mine, kind=kind, document=document)
        documents[kind] = document.pk
    other = enrol(
        world.other_student,
        order=in_force,
        category=Category.DISABILITY,
        dlt_type=DltType.TV,
        application=world.submitted,
    )
    third = enrol(
        make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE),
        order=draft,
        status=EnrolmentStatus.ORDERED,
        dlt_type=DltType.CASE,
    )
    return {"in_force": in_force, "draft": draft, "mine": mine, "other": other, "third": third, "documents": documents}


class TestOrders:
    @pytest.mark.parametrize("who", ["admin", "head"])
    def test_staff_see_them_with_their_students(self, world, orders, as_, who):
        response = as_(who).get(ORDERS)
        assert response.status_code == 200
        results = response.json()["results"]
        assert [o["id"] for o in results] == [orders["draft"].pk, orders["in_force"].pk]
        in_force = results[1]
        assert in_force["number"] == orders["in_force"].number_label
        assert in_force["order_date"] == "2026-11-20"
        assert in_force["status"] == "in_force"
        students = {s["student_id"]: s for s in in_force["students"]}
        assert students[world.student.pk] == {
            "student_id": world.student.pk,
            "student_name": world.student.full_name,
            "application_id": world.application.pk,
            "category": "military",
            "dlt_type": "network",
            "starts_on": "2026-12-01",
            "ends_on": "2027-12-01",
            "status": "active",
            "attachments": orders["documents"],
        }
        assert students[world.other_student.pk]["attachments"] == {
            "application": None,
            "study_plan": None,
            "schedule": None,
        }
        draft = results[0]
        assert (draft["number"], draft["order_date"], draft["status"]) == ("", None, "draft")
        assert [s["dlt_type"] for s in draft["students"]] == ["case"]

    def test_filter_by_status(self, world, orders, as_):
        assert ids(as_("admin").get(ORDERS, {"status": "draft"})) == {orders["draft"].pk}
        assert as_("admin").get(ORDERS, {"status": "lost"}).status_code == 400

    def test_only_dlt_orders(self, world, orders, as_):
        from qashyq.records.models import Order

        Order.objects.create(
            kind="admission",
            title_kk="Қабылдау",
            title_ru="Зачисление",
            effective_date=TODAY,
            prepared_by=world.admin,
        )
        assert ids(as_("admin").get(ORDERS)) == {orders["draft"].pk, orders["in_force"].pk}

    @pytest.mark.parametrize(
        "who", ["student", "other_student", "teacher", "tutor", "didactics", "it_support", "no_role"]
    )
    def test_others_get_403_on_the_list_and_404_on_one(self, world, orders, as_, who):
        client = as_(who)
        assert client.get(ORDERS).status_code == 403
        assert client.get(order_url(orders["in_force"].pk)).status_code == 404

    def test_one_order(self, world, orders, as_):
        body = as_("head").get(order_url(orders["in_force"].pk)).json()
        assert body["id"] == orders["in_force"].pk
        assert {s["student_id"] for s in body["students"]} == {world.student.pk, world.other_student.pk}

    def test_another_kind_or_missing_is_404(self, world, orders, as_):
        from qashyq.records.models import Order

        admission = Order.objects.create(
            kind="admission", title_kk="Қабылдау", title_ru="Зачисление", effective_date=TODAY, prepared_by=world.admin
        )
        assert as_("admin").get(order_url(admission.pk)).status_code == 404
        assert as_("admin").get(order_url(999_999)).status_code == 404

    def test_list_in_a_fixed_number_of_queries(self, world, orders, as_, django_assert_num_queries):
        client = as_("admin")
        client.get(ORDERS)
        # Session (user and roles cached), the MFA check's authenticators, the orders, their
        # students, their attachments.
        with django_assert_num_queries(5):
            client.get(ORDERS)
        more = make_order(by=world.head)
        for _n in range(3):
            enrol(make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE), order=more)
        with django_assert_num_queries(5):
            assert len(client.get(ORDERS).json()["results"]) == 3


class TestPlansAndSchedules:
    @pytest.mark.parametrize("who", ["student", "admin", "head", "teacher", "tutor"])
    def test_readers(self, world, as_, who):
        client = as_(who)
        plan = client.get(plan_url(world.application.pk))
        assert plan.status_code == 200
        schedule = client.get(schedule_url(world.application.pk))
        assert schedule.status_code == 200

    @pytest.mark.parametrize(
        "who", ["other_student", "other_teacher", "other_tutor", "didactics", "it_support", "no_role"]
    )
    def test_not_yours_is_404(self, world, as_, who):
        client = as_(who)
        assert client.get(plan_url(world.application.pk)).status_code == 404
        assert client.get(schedule_url(world.application.pk)).status_code == 404

    def test_no_plan_before_acceptance(self, world, as_):
        assert as_("admin").get(plan_url(world.submitted.pk)).status_code == 404
        assert as_("other_student").get(schedule_url(world.submitted.pk)).status_code == 404
        assert as_("admin").get(plan_url(999_999)).status_code == 404

    def test_plan_lines_and_totals(self, world, as_):
        body = as_("student").get(plan_url(world.application.pk)).json()
        assert body["application_id"] == world.application.pk
        assert body["status"] == "draft"
        assert body["version"] == world.plan.version
        lines = {line["discipline"]["code"]: line for line in body["lines"]}
        assert set(lines) == {"INF101", "MAT102", "DB201", "WEB202"}
        assert [line["discipline"]["code"] for line in body["lines"]] == [
            line.discipline.code
            for line in world.plan.lines.select_related("discipline").order_by("period_number", "discipline__code")
        ]
        db = lines["DB201"]
        assert db["discipline"]["name"] == "Databases"
        assert (db["period_number"], db["credits"], db["dlt_type"]) == (2, 5, "network")
        assert db["teacher"] == {"id": world.teacher.pk, "full_name": world.teacher.full_name}
        assert db["tutor"] == {"id": world.tutor.pk, "full_name": world.tutor.full_name}
        totals = body["totals"]
        assert totals["credits"] == sum(line["credits"] for line in body["lines"])
        assert totals["remaining_credits"] == sum(line["credits"] for line in body["lines"] if not line["completed"])
        assert sum(p["credits"] for p in totals["periods"]) == totals["credits"]
        assert sum(y["credits"] for y in totals["years"]) == totals["credits"]
        assert [p["number"] for p in totals["periods"]] == sorted({line["period_number"] for line in body["lines"]})

    def test_schedule_entries(self, world, as_):
        body = as_("tutor").get(schedule_url(world.application.pk)).json()
        assert body["application_id"] == world.application.pk
        entries = body["entries"]
        expected = list(world.schedule.entries.order_by("starts_on", "starts_at", "pk"))
        assert [e["id"] for e in entries] == [e.pk for e in expected]
        assert entries, "the generated schedule has entries"
        assert [e["starts_on"] for e in entries] == sorted(e["starts_on"] for e in entries)
        first = entries[0]
        assert set(first) == {
            "id",
            "kind",
            "discipline",
            "name",
            "starts_on",
            "ends_on",
            "starts_at",
            "mode",
            "note",
            "dlt_type",
            "tutor",
            "edited",
        }
        with_discipline = next(e for e in entries if e["discipline"] is not None)
        assert with_discipline["dlt_type"] == "network"
        assert with_discipline["tutor"] == {"id": world.tutor.pk, "full_name": world.tutor.full_name}
        assert "feed" not in str(body)  # the iCal address opens the schedule without signing in


def test_schema_lists_the_dlt_endpoints(as_, world):
    response = as_("teacher").get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/dlt/applications/",
        "/api/v1/dlt/applications/{application_id}/",
        "/api/v1/dlt/orders/",
        "/api/v1/dlt/orders/{order_id}/",
        "/api/v1/dlt/plans/{application_id}/",
        "/api/v1/dlt/schedules/{application_id}/",
    ):
        assert "get" in paths[path], path
        assert "200" in paths[path]["get"]["responses"], path
    parameters = {p["name"] for p in paths["/api/v1/dlt/applications/"]["get"]["parameters"]}
    assert {"status", "category", "cursor"} <= parameters
    components = schema["components"]["schemas"]
    assert {"DltApplicationDetail", "DltOrder", "DltPlan", "DltSchedule"} <= set(components)
    assert set(components["DltApplicationDetail"]["properties"]) >= {"documents", "events"}
