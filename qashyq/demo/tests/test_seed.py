import hashlib
from collections import Counter
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from qashyq.academics.models import (
    AcademicCalendar,
    AcademicPeriod,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.academics.selectors import groups_taught_by
from qashyq.accounts.api import Role, user_roles
from qashyq.accounts.models import User
from qashyq.audit import api as audit_api
from qashyq.audit.models import Event
from qashyq.core.iin import iin_parse
from qashyq.demo import institution
from qashyq.demo import services as demo_services
from qashyq.demo.services import DEMO_PASSWORD, STAFF, STUDENT_COUNT, demo_seed, demo_sign_ins
from qashyq.documents import services as document_services
from qashyq.documents.models import Document
from qashyq.organization import api as organization_api
from qashyq.organization.models import Position, StaffMember, Unit, UnitKind
from qashyq.organization.rules import bin_validate
from qashyq.records.models import Order, OrderItem, Student

MINIMAL_PDF = b"%PDF-1.7\n%demo test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fast_pdf(monkeypatch):
    """Tests that do not look at the documents skip WeasyPrint (a few seconds per seed)."""
    monkeypatch.setattr(document_services, "pdf_render", lambda **kwargs: MINIMAL_PDF)


@pytest.fixture
def no_content(monkeypatch):
    """Tests of the institution leave out the learning content (test_content.py checks it)."""
    monkeypatch.setattr(demo_services, "content_seed", lambda: None)


@pytest.fixture
def accounts_only(monkeypatch):
    """Tests of the accounts and sign-ins leave out the institution (its tests are above)."""
    monkeypatch.setattr(demo_services, "institution_seed", lambda: None)


def _counts() -> dict[str, int]:
    models = (
        User,
        Unit,
        Position,
        StaffMember,
        Discipline,
        Programme,
        CurriculumEntry,
        AcademicYear,
        AcademicPeriod,
        AcademicCalendar,
        CalendarEvent,
        StudyGroup,
        TeachingAssignment,
        Student,
        Order,
        OrderItem,
        Document,
        Event,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
class TestSeedDemo:
    def test_makes_the_institution_once(self):
        made = demo_seed()
        assert made == STUDENT_COUNT + 12
        counts = _counts()
        assert counts["User"] == made
        assert audit_api.verify().ok
        # Each of the 7 signed orders is issued as a real PDF in Kazakh and in Russian, and each of the 4
        # students of the DLT order has its 3 attachments, all hashed as stored.
        documents = list(Document.objects.all())
        assert len(documents) == 7 * 2 + 4 * 3
        for document in documents:
            data = document.file.read()
            assert data.startswith(b"%PDF-")
            assert hashlib.sha256(data).hexdigest() == document.sha256

        assert demo_seed() == 0
        assert _counts() == counts  # nothing new: no record, no order, no document, no audit event
        assert audit_api.verify().ok

    def test_institution_profile_and_structure(self, fast_pdf, no_content):
        demo_seed()
        profile = organization_api.institution_get()
        assert profile is not None
        assert "университеті" in profile.name_kk
        assert "университет" in profile.name_ru
        assert profile.name_en
        assert profile.order_number_suffix == "ОД"
        bin_validate(profile.bin)
        permission = organization_api.dlt_allowed(on=timezone.localdate())
        assert permission.allowed, permission.reasons
        assert not organization_api.dlt_allowed(on=date(2025, 6, 19)).allowed  # the permission is of 20.06.2025

        dlt = Unit.objects.get(kind=UnitKind.DLT_UNIT)
        assert sorted(dlt.children.values_list("kind", flat=True)) == sorted(
            [UnitKind.ADMINISTRATION, UnitKind.DIDACTICS, UnitKind.IT_SUPPORT]
        )
        faculty = Unit.objects.get(kind=UnitKind.FACULTY)
        assert faculty.children.filter(kind=UnitKind.DEPARTMENT).count() == 2

        for person in STAFF:
            granted = set(
                StaffMember.objects.filter(user__username=person.username, end_date__isnull=True).values_list(
                    "position__grants_role", flat=True
                )
            )
            assert set(person.roles) <= granted, person.username
            assert user_roles(User.objects.get(username=person.username)) == frozenset(person.roles)

    def test_programmes_curricula_and_calendar(self, fast_pdf, no_content):
        demo_seed()
        programmes = {p.code: p for p in Programme.objects.all()}
        assert set(programmes) == {"6B01101", "6B06101"}
        shortened = programmes["6B01101"]
        assert shortened.shortened
        assert shortened.shortened_basis == "tvet"
        assert not programmes["6B06101"].shortened
        for programme in programmes.values():
            assert programme.name_kk
            assert programme.name_ru
            assert programme.name_en
            credits = dict(
                CurriculumEntry.objects.filter(programme=programme)
                .values_list("period_number")
                .annotate(total=Sum("credits"))
            )
            assert credits == dict.fromkeys(range(1, 9), 30), programme.code
            entries = CurriculumEntry.objects.filter(programme=programme)
            assert set(entries.values_list("cycle", flat=True)) == {"general", "basic", "profile"}
            assert set(entries.values_list("component", flat=True)) == {"compulsory", "university", "elective"}
            assert {"exam", "credit", "course_work", "practice_report"} <= set(
                entries.values_list("final_control", flat=True)
            )
        # The general education cycle is the same 56 credits in both programmes.
        assert CurriculumEntry.objects.filter(cycle="general").aggregate(total=Sum("credits"))["total"] == 2 * 56

        year = AcademicYear.objects.get(title="2026–2027")
        assert list(year.periods.values_list("number", "kind")) == [(1, "semester"), (2, "semester")]
        calendar = AcademicCalendar.objects.get(year=year, level="bachelor")
        assert calendar.approved
        assert calendar.protocol_number == "1"
        kinds = Counter(calendar.events.values_list("kind", flat=True))
        assert kinds == {
            "classes": 2,
            "midterm_1": 2,
            "midterm_2": 2,
            "attestation": 2,
            "practice": 1,
            "holidays": 2,
        }

    def test_groups_students_and_teaching(self, fast_pdf, no_content):
        demo_seed()
        groups = {g.code: g for g in StudyGroup.objects.select_related("programme")}
        assert len(groups) == 4
        assert Counter(g.programme.code for g in groups.values()) == {"6B01101": 2, "6B06101": 2}
        assert {(g.programme.code, g.language) for g in groups.values()} == {
            ("6B01101", "kk"),
            ("6B01101", "ru"),
            ("6B06101", "kk"),
            ("6B06101", "ru"),
        }

        students = list(Student.objects.select_related("user", "group"))
        assert len(students) == 120
        assert len({s.iin for s in students}) == 120
        linked = [s for s in students if s.user is not None]
        assert sorted(s.user.username for s in linked) == [f"student{n:02d}" for n in range(1, 41)]
        for student in students:
            facts = iin_parse(student.iin)
            assert (facts.birth_date, facts.sex) == (student.birth_date, student.sex), student.full_name
            assert student.name_latin
            assert not any("\u0400" <= c <= "\u04ff" for c in student.name_latin)
        for student in linked:
            assert (student.iin, student.last_name) == (student.user.iin, student.user.last_name)
        assert any(s.patronymic.endswith("ұлы") for s in students)
        assert any(s.patronymic.endswith("вна") for s in students)
        assert Counter(s.status for s in students) == {"active": 119, "academic_leave": 1}
        assert Counter(s.group.code for s in students) == {
            "ПП-26-1К": 30,
            "ПП-26-2Р": 30,
            "ИНФ-26-1К": 29,
            "ИНФ-26-2Р": 31,
        }
        assert all(s.language == s.group.language or s.group.code == "ИНФ-26-2Р" for s in students)

        teacher1 = User.objects.get(username="teacher1")
        assert groups_taught_by(user_id=teacher1.pk) == {groups["ПП-26-1К"].pk, groups["ИНФ-26-1К"].pk}
        teacher3 = User.objects.get(username="teacher3")  # AKT 1107 for every group that studies it
        assert groups_taught_by(user_id=teacher3.pk) == {g.pk for g in groups.values()}
        tutor1 = User.objects.get(username="tutor1")
        assert groups_taught_by(user_id=tutor1.pk) == {groups["ПП-26-1К"].pk, groups["ПП-26-2Р"].pk}
        assert TeachingAssignment.objects.filter(role="tutor").exists()

    def test_orders_signed_numbered_in_force_with_documents(self, fast_pdf, no_content):
        demo_seed()
        year = timezone.localdate().year
        orders = list(Order.objects.order_by("number"))
        assert [o.number for o in orders] == [1, 2, 3, 4, 5, 6]
        assert [o.number_label for o in orders] == [f"{n}-ОД" for n in range(1, 7)]
        assert {o.year for o in orders} == {year}
        assert [o.kind for o in orders] == ["admission"] * 4 + ["transfer", "academic_leave"]
        assert {o.status for o in orders} == {"in_force"}
        head, admin1 = User.objects.get(username="head"), User.objects.get(username="admin1")
        assert {(o.signed_by_id, o.prepared_by_id) for o in orders} == {(head.pk, admin1.pk)}
        admitted = OrderItem.objects.filter(order__kind="admission")
        assert admitted.count() == 120
        assert admitted.values("student").distinct().count() == 120
        for order in orders[:4]:
            # One order per group: every student of it goes to the same group.
            assert len({item.changes["group"] for item in order.items.all()}) == 1
        for order in orders:
            languages = sorted(
                Document.objects.filter(target_type="records.order", target_id=str(order.pk)).values_list(
                    "language", flat=True
                )
            )
            assert languages == ["kk", "ru"]

        moved = OrderItem.objects.get(order=orders[4]).student
        assert moved.group.code == "ИНФ-26-2Р"
        assert OrderItem.objects.get(order=orders[4]).before["group"] == StudyGroup.objects.get(code="ИНФ-26-1К").pk
        resting = OrderItem.objects.get(order=orders[5])
        assert resting.student.status == "academic_leave"
        assert resting.changes["until"] == institution.LEAVE_UNTIL.isoformat()
        assert list(moved.order_items.order_by("order__number").values_list("order__kind", flat=True)) == [
            "admission",
            "transfer",
        ]

    def test_students_accounts_have_valid_iins(self, accounts_only):
        demo_seed()
        students = [u for u in User.objects.prefetch_related("groups") if Role.STUDENT in user_roles(u)]
        assert len(students) == STUDENT_COUNT
        for student in students:
            facts = iin_parse(student.iin)
            assert 2003 <= facts.birth_date.year <= 2007
        assert len({s.iin for s in students}) == STUDENT_COUNT

    def test_every_role_is_held_and_mfa_roles_are_enrolled(self, accounts_only):
        demo_seed()
        held = set()
        for user in User.objects.all():
            roles = user_roles(user)
            held |= roles
            if roles & {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT}:
                assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
                assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
        assert held == set(Role)

    def test_one_sign_in_per_role(self, accounts_only):
        demo_seed()
        sign_ins = demo_sign_ins()
        assert {s.role for s in sign_ins} == set(Role)
        for s in sign_ins:
            user = User.objects.get(username=s.username)
            assert user.check_password(DEMO_PASSWORD)
            assert (s.totp_secret is not None) == (s.role in {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT})

    def test_command_prints_the_sign_ins(self, capsys, accounts_only, monkeypatch):
        from qashyq.demo.management.commands import seed_demo

        call_command("seed_demo", "--if-empty")
        out = capsys.readouterr().out
        assert "student01" in out
        assert "TOTP secret" in out
        # Accounts but no institution profile (a database from before the institution existed): seed again.
        call_command("seed_demo", "--if-empty")
        assert "accounts created" in capsys.readouterr().out
        # Accounts and an institution: nothing to do.
        monkeypatch.setattr(seed_demo, "institution_get", lambda: object())
        call_command("seed_demo", "--if-empty")
        assert "accounts created" not in capsys.readouterr().out

    def test_demo_totp_prints_a_code_the_sign_in_accepts(self, client, capsys, accounts_only):
        demo_seed()
        call_command("demo_totp", "head")
        code = capsys.readouterr().out.strip()
        assert len(code) == 6
        client.post("/accounts/login/", {"login": "head", "password": DEMO_PASSWORD})
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
        assert client.get("/").url == "/dashboard/head/"
