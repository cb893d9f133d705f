"""Student pages: status codes per role, masked IINs and hidden disability, query counts, export, import."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qashyq.accounts.api import Role
from qashyq.core.iin import iin_mask
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, OrderItem, Student
from qashyq.records.tests.student_helpers import (
    make_group,
    make_programme,
    make_student,
    row,
    students_snapshot,
    teach,
    xlsx_from_template,
)

LIST = reverse("records:student-list")
CREATE = reverse("records:student-create")
MINE = reverse("records:student-mine")
IMPORT = reverse("records:student-import")
CONFIRM = reverse("records:student-import-confirm")
TEMPLATE = reverse("records:student-import-template")
MFA_ROLES = {Role.ADMINISTRATION, Role.HEAD, Role.IT_SUPPORT}


def card(student):
    return reverse("records:student-detail", kwargs={"student_id": student.pk})


def contacts(student):
    return reverse("records:student-contacts", kwargs={"student_id": student.pk})


def export(fmt):
    return reverse("records:student-export", kwargs={"fmt": fmt})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db, make_user, enrol_totp):
    programme = make_programme()
    group_a, group_b = make_group("ИС-26-1", programme), make_group("ИС-26-2", programme)
    owner = make_user(Role.STUDENT)
    people = {role: make_user(role) for role in Role}
    for role in MFA_ROLES:
        enrol_totp(people[role])
    teacher, tutor = people[Role.TEACHER], people[Role.TUTOR]
    teach(teacher, group_a)
    teach(tutor, group_a, role="tutor")
    student = make_student(
        programme, group=group_a, user=owner, last_name="Сейітова", first_name="Айгерім", disability="group_2"
    )
    stranger = make_student(programme, group=group_b, last_name="Жұмабаев", first_name="Арман")
    return {
        "programme": programme,
        "group_a": group_a,
        "group_b": group_b,
        "owner": owner,
        "people": people,
        "student": student,
        "stranger": stranger,
    }


def signed_in(client, world, who):
    user = world["owner"] if who == "owner" else world["people"][who]
    client.force_login(user)
    return client


class TestList:
    def test_anonymous_is_sent_to_sign_in(self, client, world):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    @pytest.mark.parametrize("role", [Role.STUDENT, Role.DIDACTICS, Role.IT_SUPPORT])
    def test_roles_without_the_list_get_404(self, client, world, role):
        assert signed_in(client, world, role).get(LIST).status_code == 404

    @pytest.mark.parametrize(
        ("role", "full_iin"),
        [(Role.ADMINISTRATION, True), (Role.HEAD, True), (Role.TEACHER, False), (Role.TUTOR, False)],
    )
    def test_who_sees_whom_and_which_iin(self, client, world, role, full_iin):
        page = signed_in(client, world, role).get(LIST).content.decode()
        student, stranger = world["student"], world["stranger"]
        assert card(student) in page
        assert (card(stranger) in page) is full_iin  # teachers and tutors see their group only
        assert (student.iin in page) is full_iin
        assert (iin_mask(student.iin) in page) is not full_iin

    def test_search_and_filters(self, client, world):
        client = signed_in(client, world, Role.ADMINISTRATION)
        student, stranger = world["student"], world["stranger"]

        def found(**params):
            # The search text travels by POST (an IIN never goes into a URL); the filters stay in the URL.
            response = client.post(LIST, {"q": "", **params})
            assert response.status_code == 302
            assert student.iin not in response.url
            page = client.get(response.url).content.decode()
            return {s.pk for s in (student, stranger) if card(s) in page}

        assert found() == {student.pk, stranger.pk}
        assert found(q=student.iin) == {student.pk}
        assert found(q=student.iin[:11]) == {student.pk}
        assert found(q=student.iin[:4] + " " + student.iin[4:8]) == {student.pk}
        assert found(q="сейітова") == {student.pk}
        assert found(q="SEIITOVA aigerim") == {student.pk}
        assert found(q="Jumabaev") == {stranger.pk}
        assert found(q="Жұмабаев Айгерім") == set()
        assert found(group=world["group_b"].pk) == {stranger.pk}
        assert found(programme=world["programme"].pk, status="applicant") == {student.pk, stranger.pk}
        assert found(status="active") == set()
        assert found(form_of_study="correspondence") == set()

    def test_a_search_in_the_url_is_moved_out_of_it(self, client, world):
        client = signed_in(client, world, Role.ADMINISTRATION)
        response = client.get(LIST, {"q": world["student"].iin, "status": "applicant"})
        assert response.status_code == 302
        assert world["student"].iin not in response.url
        assert "status=applicant" in response.url

    def test_bad_filters_get_400(self, client, world):
        response = signed_in(client, world, Role.ADMINISTRATION).get(LIST, {"group": "abc", "status": "flying"})
        assert response.status_code == 400
        assert "is-invalid" in response.content.decode() or "aria-invalid" in response.content.decode()

    def test_pages_of_fifty(self, client, world):
        for _ in range(58):
            make_student(world["programme"], group=world["group_a"])
        client = signed_in(client, world, Role.ADMINISTRATION)
        first = client.get(LIST).context
        assert len(first["rows"]) == 50
        second = client.get(LIST, {"page": 2}).context
        assert len(second["rows"]) == 10
        assert second["page"].paginator.count == 60

    def test_a_huge_list_is_counted_only_up_to_the_cap(self, client, world, monkeypatch):
        from qashyq.records.selectors import students as selectors

        monkeypatch.setattr(selectors, "COUNT_CAP", 1)
        response = signed_in(client, world, Role.ADMINISTRATION).get(LIST)
        assert response.context["capped"] is True

    @pytest.mark.parametrize("role", [Role.ADMINISTRATION, Role.TEACHER])
    def test_queries_do_not_grow_with_students(self, client, world, role, django_assert_max_num_queries):
        client = signed_in(client, world, role)
        for _ in range(3):
            make_student(world["programme"], group=world["group_a"])
        client.get(LIST)  # warm-up

        with CaptureQueriesContext(connection) as five:
            assert len(client.get(LIST).context["rows"]) == 4 + (role == Role.ADMINISTRATION)
        five_queries = len(five.captured_queries)  # read now: the next request resets the query log
        for _ in range(45):
            make_student(world["programme"], group=world["group_a"])
        client.post(LIST, {"q": "а"})
        with django_assert_max_num_queries(five_queries):
            assert len(client.get(LIST).context["rows"]) > 40
        client.post(LIST, {"q": ""})
        with django_assert_max_num_queries(five_queries):
            assert len(client.get(LIST).context["rows"]) == 49 + (role == Role.ADMINISTRATION)
        assert five_queries <= 12


class TestCard:
    @pytest.mark.parametrize(
        ("who", "status", "full_iin", "disability"),
        [
            (Role.ADMINISTRATION, 200, True, True),
            (Role.HEAD, 200, True, True),
            (Role.TEACHER, 200, False, False),
            (Role.TUTOR, 200, False, False),
            ("owner", 200, True, False),
            (Role.STUDENT, 404, None, None),
            (Role.DIDACTICS, 404, None, None),
            (Role.IT_SUPPORT, 404, None, None),
        ],
    )
    def test_matrix(self, client, world, who, status, full_iin, disability):
        response = signed_in(client, world, who).get(card(world["student"]))
        assert response.status_code == status
        if status != 200:
            return
        page = response.content.decode()
        iin = world["student"].iin
        assert (iin in page) is full_iin
        assert (iin_mask(iin) in page) is not full_iin
        assert ('id="student-disability"' in page) is disability
        assert 'id="performance-heading"' in page

    def test_teacher_of_another_group_gets_404(self, client, world):
        assert signed_in(client, world, Role.TEACHER).get(card(world["stranger"])).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, world):
        assert client.get(card(world["student"])).status_code == 302

    def test_history_lists_signed_orders_only(self, client, world):
        admin = world["people"][Role.ADMINISTRATION]
        head = world["people"][Role.HEAD]
        signed = Order.objects.create(
            kind=OrderKind.ADMISSION,
            status=OrderStatus.IN_FORCE,
            year=2026,
            number=7,
            number_label="7-ОД",
            title_kk="Қабылдау туралы",
            title_ru="О зачислении",
            effective_date=date(2026, 9, 1),
            order_date=date(2026, 8, 25),
            prepared_by=admin,
            signed_by=head,
            signed_at=timezone.now(),
        )
        draft = Order.objects.create(
            kind=OrderKind.TRANSFER,
            title_kk="Ауыстыру",
            title_ru="О переводе",
            effective_date=date(2026, 10, 1),
            prepared_by=admin,
        )
        OrderItem.objects.create(order=signed, student=world["student"])
        OrderItem.objects.create(order=draft, student=world["student"])

        page = signed_in(client, world, Role.ADMINISTRATION).get(card(world["student"])).content.decode()
        assert "№ 7-ОД" in page
        assert reverse("records:order-detail", args=[signed.pk]) in page
        assert reverse("records:order-detail", args=[draft.pk]) not in page

        teacher_page = signed_in(client, world, Role.TEACHER).get(card(world["student"])).content.decode()
        assert "№ 7-ОД" in teacher_page
        assert reverse("records:order-detail", args=[signed.pk]) not in teacher_page  # orders are not theirs

    def test_card_queries_are_few(self, client, world, django_assert_max_num_queries):
        client = signed_in(client, world, Role.ADMINISTRATION)
        client.get(card(world["student"]))
        with django_assert_max_num_queries(14):
            assert client.get(card(world["student"])).status_code == 200


class TestMine:
    def test_a_student_is_sent_to_their_own_card(self, client, world):
        response = signed_in(client, world, "owner").get(MINE)
        assert response.status_code == 302
        assert response.url == card(world["student"])

    def test_no_record_404(self, client, world):
        assert signed_in(client, world, Role.STUDENT).get(MINE).status_code == 404

    def test_the_menu_offers_it_to_students(self, client, world):
        page = signed_in(client, world, "owner").get(reverse("portal:dashboard", kwargs={"role": "student"}))
        assert MINE in page.content.decode()


class TestCreate:
    def good(self, world, **changes):
        iin_row = row()
        data = {
            "iin": iin_row["iin"],
            "last_name": "Оспанова",
            "first_name": "Дана",
            "birth_date": "2006-04-09",
            "sex": "female",
            "citizenship": "kz",
            "programme": world["programme"].pk,
            "group": world["group_a"].pk,
            "form_of_study": "full_time",
            "language": "kk",
            "funding": "paid",
            "course_year": 1,
        }
        data.update(changes)
        return data

    @pytest.mark.parametrize(
        ("who", "status"), [(Role.ADMINISTRATION, 200), (Role.HEAD, 404), (Role.TEACHER, 404), ("owner", 404)]
    )
    def test_get(self, client, world, who, status):
        assert signed_in(client, world, who).get(CREATE).status_code == status

    def test_post_creates_and_opens_the_card(self, client, world):
        response = signed_in(client, world, Role.ADMINISTRATION).post(CREATE, self.good(world))
        student = Student.objects.get(last_name="Оспанова")
        assert response.status_code == 302
        assert response.url == card(student)
        assert (student.citizenship, student.name_latin, student.status) == ("KZ", "Ospanova Dana", "applicant")

    def test_post_with_a_birth_date_contradicting_the_iin_is_400_and_changes_nothing(self, client, world):
        before = students_snapshot()
        response = signed_in(client, world, Role.ADMINISTRATION).post(
            CREATE, self.good(world, birth_date="2006-04-10"), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400
        assert 'href="#id_birth_date"' in response.content.decode()
        assert students_snapshot() == before

    def test_post_by_a_teacher_is_404(self, client, world):
        before = students_snapshot()
        assert signed_in(client, world, Role.TEACHER).post(CREATE, self.good(world)).status_code == 404
        assert students_snapshot() == before


class TestContacts:
    @pytest.mark.parametrize(
        ("who", "status"), [(Role.ADMINISTRATION, 200), (Role.HEAD, 404), (Role.TEACHER, 404), ("owner", 404)]
    )
    def test_get(self, client, world, who, status):
        assert signed_in(client, world, who).get(contacts(world["student"])).status_code == status

    def test_post_saves_contacts_only(self, client, world):
        response = signed_in(client, world, Role.ADMINISTRATION).post(
            contacts(world["student"]),
            {"phone": "+7 777 123 45 67", "email": "a@example.kz", "address": "Астана", "status": "expelled"},
        )
        assert response.status_code == 302
        student = Student.objects.get(pk=world["student"].pk)
        assert (student.phone, student.email, student.address, student.status) == (
            "+7 777 123 45 67",
            "a@example.kz",
            "Астана",
            "applicant",
        )

    def test_bad_email_is_400(self, client, world):
        before = students_snapshot()
        response = signed_in(client, world, Role.ADMINISTRATION).post(contacts(world["student"]), {"email": "x"})
        assert response.status_code == 400
        assert students_snapshot() == before


class TestExport:
    def rows(self, response):
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))

    def test_administration_csv_has_full_iins_and_disability(self, client, world):
        response = signed_in(client, world, Role.ADMINISTRATION).get(export("csv"), {"group": world["group_a"].pk})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        header, *rows = self.rows(response)
        assert "disability" in header
        assert len(rows) == 1
        record = dict(zip(header, rows[0], strict=True))
        assert (record["iin"], record["disability"], record["group"], record["status"]) == (
            world["student"].iin,
            "group_2",
            "ИС-26-1",
            "applicant",
        )

    def test_teacher_csv_has_masked_iins_and_no_disability(self, client, world):
        response = signed_in(client, world, Role.TEACHER).get(export("csv"))
        header, *rows = self.rows(response)
        assert "disability" not in header
        assert [dict(zip(header, r, strict=True))["iin"] for r in rows] == [iin_mask(world["student"].iin)]

    def test_xlsx(self, client, world):
        client = signed_in(client, world, Role.HEAD)
        client.post(LIST, {"q": "Жұмабаев"})
        response = client.get(export("xlsx"))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        values = list(workbook["students"].iter_rows(values_only=True))
        assert len(values) == 2
        record = dict(zip(values[0], values[1], strict=True))
        assert record["iin"] == world["stranger"].iin
        assert record["last_name"] == "Жұмабаев"

    @pytest.mark.parametrize(("who", "fmt", "status"), [("owner", "csv", 404), (Role.ADMINISTRATION, "pdf", 404)])
    def test_refused(self, client, world, who, fmt, status):
        assert signed_in(client, world, who).get(export(fmt)).status_code == status


class TestImport:
    @pytest.mark.parametrize(("who", "status"), [(Role.ADMINISTRATION, 200), (Role.HEAD, 404), (Role.TEACHER, 404)])
    def test_pages_are_for_the_administration(self, client, world, who, status):
        client = signed_in(client, world, who)
        assert client.get(IMPORT).status_code == status
        assert client.get(TEMPLATE).status_code == status

    def test_template_download(self, client, world):
        response = signed_in(client, world, Role.ADMINISTRATION).get(TEMPLATE)
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert load_workbook(io.BytesIO(response.content)).sheetnames == ["students", "columns"]

    def upload(self, client, data, name="students.xlsx"):
        return client.post(IMPORT, {"file": _file(name, data)}, HTTP_ACCEPT_LANGUAGE="en")

    def test_upload_preview_confirm(self, client, world, media):
        client = signed_in(client, world, Role.ADMINISTRATION)
        rows = [row(group="ИС-26-1"), row(group="ИС-26-2", first_name="Дана")]
        response = self.upload(client, xlsx_from_template(rows))
        assert response.status_code == 200
        assert response.context["preview"].ok
        token = client.session["records.student_import"]
        assert f'value="{token}"' in response.content.decode()
        assert Student.objects.count() == 2

        response = client.post(CONFIRM, {"token": token})
        assert response.status_code == 302
        assert response.url == LIST
        assert Student.objects.count() == 4
        assert "records.student_import" not in client.session

    def test_preview_with_problems_shows_the_table(self, client, world, media):
        client = signed_in(client, world, Role.ADMINISTRATION)
        response = self.upload(client, xlsx_from_template([row(), row(group="ЖОҚ-9")]))
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="import-problems"' in page
        assert "Unknown group code “ЖОҚ-9”." in page
        assert "records.student_import" not in client.session

    def test_a_broken_file_is_400_with_a_message(self, client, world):
        response = self.upload(signed_in(client, world, Role.ADMINISTRATION), b"not a workbook")
        assert response.status_code == 400
        assert "The file is not a valid XLSX workbook" in response.content.decode()

    def test_confirm_needs_the_token_of_this_session(self, client, world, make_user, enrol_totp):
        client = signed_in(client, world, Role.ADMINISTRATION)
        self.upload(client, xlsx_from_template([row()]))
        token = client.session["records.student_import"]
        other = make_user(Role.ADMINISTRATION)
        enrol_totp(other)
        intruder = type(client)()
        intruder.force_login(other)
        assert intruder.post(CONFIRM, {"token": token}).status_code == 404
        assert client.post(CONFIRM, {"token": "0" * 32 + ".xlsx"}).status_code == 404
        assert Student.objects.count() == 2
        assert client.get(CONFIRM).status_code == 405

    def test_a_new_upload_discards_the_previous_one(self, client, world, media):
        client = signed_in(client, world, Role.ADMINISTRATION)
        self.upload(client, xlsx_from_template([row()]))
        self.upload(client, xlsx_from_template([row()]))
        assert len([p for p in media.rglob("*") if p.is_file()]) == 1


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
