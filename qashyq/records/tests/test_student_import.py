"""Import of students from CSV and XLSX: the template, the per-row preview, the all-or-nothing confirm."""

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from qashyq.accounts.api import Role
from qashyq.audit.models import Event
from qashyq.records import imports
from qashyq.records.models import Student
from qashyq.records.services import students as services
from qashyq.records.tests.student_helpers import (
    csv_bytes,
    make_group,
    make_programme,
    make_student,
    row,
    students_snapshot,
    xlsx,
    xlsx_from_template,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin(db, make_user):
    return make_user(Role.ADMINISTRATION)


@pytest.fixture
def structure(db):
    programme = make_programme("6B06101")
    other = make_programme("6B01101")
    return {
        "programme": programme,
        "group": make_group("ИС-26-1", programme),
        "other_group": make_group("ПИ-26-1", other),
    }


def stage(actor, name, data):
    return services.student_import_stage(actor=actor, uploaded=SimpleUploadedFile(name, data))


def staged_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def problems(preview):
    return [(p.row, p.column, p.message) for p in preview.problems]


class TestTemplate:
    def test_template_has_the_header_an_example_and_a_guide_in_three_languages(self):
        workbook = load_workbook(io.BytesIO(imports.template_xlsx()))
        assert workbook.sheetnames == ["students", "columns"]
        students = list(workbook["students"].iter_rows(values_only=True))
        assert list(students[0]) == list(imports.COLUMN_KEYS)
        example = dict(zip(students[0], students[1], strict=True))
        assert example["iin"] == "050315600121"
        assert example["birth_date"] == "15.03.2005"
        guide = list(workbook["columns"].iter_rows(values_only=True))
        assert guide[0] == ("column", "required", "қазақша", "по-русски", "in English")
        assert [g[0] for g in guide[1:]] == list(imports.COLUMN_KEYS)
        assert all(g[2] and g[3] and g[4] for g in guide[1:])
        assert {g[0] for g in guide[1:] if g[1] == "yes"} == set(imports.REQUIRED_KEYS)

    def test_the_example_row_passes_the_checks_when_its_programme_exists(self, admin, db):
        make_programme("6B01101")
        preview = services.student_import_preview(actor=admin, name="t.xlsx", data=imports.template_xlsx())
        assert problems(preview) == []
        assert preview.rows == 1


class TestRoundTrip:
    def test_xlsx_template_filled_previewed_and_confirmed(self, admin, structure, media):
        rows = [row(), row(last_name="Жұмабаев", first_name="Арман", sex_="male", sex="male", group="")]
        data = xlsx_from_template(rows)

        staged = stage(admin, "students.xlsx", data)

        assert staged.preview.ok
        assert staged.preview.rows == 2
        assert staged.preview.sha256 == hashlib.sha256(data).hexdigest()
        assert [p.relative_to(media).parts[:3] for p in staged_files(media)] == [("imports", "students", str(admin.pk))]
        assert Student.objects.count() == 0  # the preview writes nothing

        count = services.student_import_confirm(actor=admin, token=staged.token)

        assert count == 2
        first, second = Student.objects.order_by("last_name")
        assert (first.last_name, first.iin, first.birth_date, first.status, first.group_id) == (
            "Жұмабаев",
            rows[1]["iin"],
            date(2006, 4, 9),
            "applicant",
            None,
        )
        assert (second.name_latin, second.group_id, second.programme_id, second.phone) == (
            "Seiıtova Aigerım Qairatqyzy",
            structure["group"].pk,
            structure["programme"].pk,
            "+7 701 000 00 00",
        )
        assert "seiitova" in second.search_text
        event = Event.objects.get(action="records.students_imported")
        assert event.after == {"count": 2, "sha256": hashlib.sha256(data).hexdigest(), "status": "applicant"}
        assert event.actor_id == admin.pk
        assert Event.objects.filter(action="records.student_created").count() == 0  # one event per import
        assert staged_files(media) == []  # the kept file is gone

    @pytest.mark.parametrize(("delimiter", "bom"), [(";", False), (",", True), (";", True)])
    def test_csv(self, admin, structure, delimiter, bom):
        rows = [row(), row(first_name="Дана", address="Астана, Есіл ауданы" if delimiter == ";" else "Астана")]
        staged = stage(admin, "list.CSV", csv_bytes(rows, delimiter=delimiter, bom=bom))
        assert problems(staged.preview) == []
        assert services.student_import_confirm(actor=admin, token=staged.token) == 2
        assert set(Student.objects.values_list("first_name", flat=True)) == {"Айгерім", "Дана"}

    def test_an_iin_typed_as_a_number_keeps_its_leading_zero(self, admin, structure):
        good = row(birth=date(2005, 2, 3))
        data = xlsx(
            [list(imports.COLUMN_KEYS), [int(good["iin"]) if k == "iin" else good[k] for k in imports.COLUMN_KEYS]]
        )
        staged = stage(admin, "n.xlsx", data)
        assert problems(staged.preview) == []
        assert staged.preview.students[0].iin == good["iin"]

    def test_xlsx_dates_and_synonyms_are_read(self, admin, structure):
        good = row(birth=date(2006, 4, 9), sex="Әйел", bolashak="иә", form_of_study="FULL_TIME")
        values = [date(2006, 4, 9) if k == "birth_date" else good[k] for k in imports.COLUMN_KEYS]
        staged = stage(admin, "d.xlsx", xlsx([list(imports.COLUMN_KEYS), values]))
        assert problems(staged.preview) == []
        student = staged.preview.students[0]
        assert (student.birth_date, student.sex, student.bolashak, student.form_of_study) == (
            date(2006, 4, 9),
            "female",
            True,
            "full_time",
        )


class TestPreviewProblems:
    def test_every_kind_of_bad_row_is_named_by_row_and_column(self, admin, structure):
        existing = make_student(structure["programme"])
        good = row()
        bad_checksum = good["iin"][:11] + str((int(good["iin"][11]) + 1) % 10)
        rows = [
            good,  # row 2
            row(iin=bad_checksum),  # 3
            row(birth_date="10.04.2006"),  # 4
            row(group="ЖОҚ-1"),  # 5
            row(group="ПИ-26-1"),  # 6
            row(iin=good["iin"]),  # 7: the same IIN as row 2
            row(iin=existing.iin, birth_date=existing.birth_date.isoformat(), sex=existing.sex),  # 8
            row(last_name="", funding=""),  # 9
            row(birth_date="31.02.2006"),  # 10
            row(programme="9X99999"),  # 11
            row(sex="male"),  # 12
            row(form_of_study="part_time", bolashak="maybe", course_year="two", disability="blind"),  # 13
        ]

        preview = services.student_import_preview(actor=admin, name="f.xlsx", data=xlsx_from_template(rows))

        assert not preview.ok
        assert preview.rows == 12
        assert problems(preview) == [
            (3, "iin", "The check digit of this IIN is wrong: please check every digit."),
            (4, "birth_date", "The birth date 10.04.2006 does not agree with the IIN, which gives 09.04.2006."),
            (5, "group", "Unknown group code “ЖОҚ-1”."),
            (6, "group", "The group ПИ-26-1 belongs to the programme 6B01101, not to 6B06101."),
            (7, "iin", "The same IIN is on row 2 of this file."),
            (8, "iin", "A student with this IIN is already recorded."),
            (9, "last_name", "This column must be filled in."),
            (9, "funding", "This column must be filled in."),
            (10, "birth_date", "“31.02.2006” is not a date: write it as DD.MM.YYYY or YYYY-MM-DD."),
            (11, "programme", "Unknown programme code “9X99999”."),
            (12, "sex", "The sex “Male” does not agree with the IIN, whose 7th digit gives “Female”."),
            (13, "form_of_study", "The programme 6B06101 is not offered in the form “Part-time”."),
            (13, "bolashak", "Write yes or no."),
            (
                13,
                "disability",
                "Unknown value “blind”: leave it empty or use one of group_1, group_2, group_3, "
                "since_childhood, temporary.",
            ),
            (13, "course_year", "Write a whole number from 1 to 8."),
        ]
        assert preview.problems[0].column_label == "IIN"

    def test_a_file_with_problems_is_not_kept_and_nothing_is_written(self, admin, structure, media):
        before_students, before_events = students_snapshot(), Event.objects.count()
        staged = stage(admin, "f.xlsx", xlsx_from_template([row(), row(group="ЖОҚ-1")]))
        assert staged.token == ""
        assert [(p.row, p.column) for p in staged.preview.problems] == [(3, "group")]
        assert staged_files(media) == []
        assert students_snapshot() == before_students
        assert Event.objects.count() == before_events

    def test_blank_rows_are_skipped_and_numbers_kept(self, admin, structure):
        data = xlsx([list(imports.COLUMN_KEYS), [], [row()[k] for k in imports.COLUMN_KEYS], [], [""] * 3])
        preview = services.student_import_preview(actor=admin, name="f.xlsx", data=data)
        assert preview.rows == 1
        data = xlsx([list(imports.COLUMN_KEYS), [], [row(group="X")[k] for k in imports.COLUMN_KEYS]])
        preview = services.student_import_preview(actor=admin, name="f.xlsx", data=data)
        assert [(p.row, p.column) for p in preview.problems] == [(3, "group")]


class TestBrokenFiles:
    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            (
                "s.xlsx",
                b"iin;last_name\n1;2\n",
                "The file is not a valid XLSX workbook: open it in a spreadsheet program and save it as .xlsx.",
            ),
            (
                "s.xlsx",
                b"PK\x03\x04 this is not really a zip",
                "The file is not a valid XLSX workbook: open it in a spreadsheet program and save it as .xlsx.",
            ),
            (
                "s.pdf",
                b"%PDF-1.7",
                "“s.pdf” is neither a .csv nor an .xlsx file: download the template and fill it in.",
            ),
            ("s.csv", b"", "The file is empty."),
            (
                "s.csv",
                "iin;фамилия\n".encode("cp1251"),
                "The CSV file is not in UTF-8: save it as “CSV UTF-8” (or use the XLSX template).",
            ),
            (
                "s.csv",
                b"iin;last_name;first_name\n",
                "The CSV file has no header row with the columns birth_date, sex, programme, form_of_study, "
                "language, funding: the first row must hold the column names of the template.",
            ),
            (
                "s.csv",
                ";".join([*imports.COLUMN_KEYS, "colour"]).encode(),
                "Unknown columns: colour.",
            ),
            ("s.csv", ";".join([*imports.COLUMN_KEYS, "iin"]).encode(), "Columns named twice: iin."),
            ("s.csv", ";".join(imports.COLUMN_KEYS).encode(), "The file has a header row but no students."),
        ],
    )
    def test_refused_with_a_clear_message_and_nothing_changes(self, admin, structure, media, name, data, message):
        before_students, before_events = students_snapshot(), Event.objects.count()
        with pytest.raises(ValidationError) as caught:
            stage(admin, name, data)
        assert any(m.startswith(message) for m in caught.value.message_dict["file"]), caught.value.message_dict
        assert students_snapshot() == before_students
        assert Event.objects.count() == before_events
        assert staged_files(media) == []

    def test_a_zip_that_is_not_a_workbook(self, admin, structure):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hello")
        with pytest.raises(ValidationError) as caught:
            stage(admin, "s.xlsx", out.getvalue())
        assert caught.value.message_dict["file"] == [
            "The file is not a valid XLSX workbook: open it in a spreadsheet program and save it as .xlsx."
        ]

    def test_a_workbook_whose_sheet_has_no_header(self, admin, structure):
        data = xlsx([["Список студентов"], ["Сейітова", "Айгерім"]], title="Лист1")
        with pytest.raises(ValidationError) as caught:
            stage(admin, "s.xlsx", data)
        assert caught.value.message_dict["file"][0].startswith(
            "The sheet “Лист1” has no header row with the columns iin, last_name"
        )

    def test_an_empty_workbook(self, admin, structure):
        with pytest.raises(ValidationError) as caught:
            stage(admin, "s.xlsx", xlsx([]))
        assert caught.value.message_dict["file"] == [
            "The sheet “students” is empty: put the students on the sheet “students” of the template."
        ]

    def test_too_many_rows(self, admin, structure, monkeypatch):
        monkeypatch.setattr(imports, "MAX_ROWS", 3)
        with pytest.raises(ValidationError) as caught:
            stage(admin, "s.csv", csv_bytes([row() for _ in range(4)]))
        assert caught.value.message_dict["file"] == [
            "The file has more than 3 student rows: split it into smaller files."
        ]
        assert Student.objects.count() == 0

    def test_too_large(self, admin, structure, monkeypatch):
        monkeypatch.setattr(imports, "MAX_BYTES", 100)
        with pytest.raises(ValidationError) as caught:
            stage(admin, "s.csv", csv_bytes([row()]))
        assert caught.value.message_dict["file"] == ["The file is larger than 0 MB: split it into smaller files."]

    def test_a_row_longer_than_the_header(self, admin, structure):
        data = csv_bytes([row()]) + b"1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20;21\r\n"
        with pytest.raises(ValidationError) as caught:
            stage(admin, "s.csv", data)
        assert caught.value.message_dict["file"] == ["Row 3 has more cells than the header row has columns."]


class TestConfirm:
    def test_only_the_uploader_can_confirm(self, admin, structure, make_user, media):
        staged = stage(admin, "s.xlsx", xlsx_from_template([row()]))
        other = make_user(Role.ADMINISTRATION)
        with pytest.raises(ValidationError, match="unknown or has expired"):
            services.student_import_confirm(actor=other, token=staged.token)
        assert Student.objects.count() == 0
        assert len(staged_files(media)) == 1  # still there for its uploader
        assert services.student_import_confirm(actor=admin, token=staged.token) == 1

    @pytest.mark.parametrize("token", ["../../etc/passwd", "x.xlsx", "", "0" * 32 + ".exe"])
    def test_a_forged_token_is_refused(self, admin, token):
        with pytest.raises(ValidationError, match="unknown or has expired"):
            services.student_import_confirm(actor=admin, token=token)

    def test_a_second_confirm_is_refused(self, admin, structure):
        staged = stage(admin, "s.xlsx", xlsx_from_template([row()]))
        services.student_import_confirm(actor=admin, token=staged.token)
        with pytest.raises(ValidationError, match="unknown or has expired"):
            services.student_import_confirm(actor=admin, token=staged.token)
        assert Student.objects.count() == 1

    def test_all_or_nothing_when_the_database_changed_since_the_preview(self, admin, structure, media):
        rows = [row(), row()]
        staged = stage(admin, "s.xlsx", xlsx_from_template(rows))
        make_student(structure["programme"], iin=rows[1]["iin"], birth_date=date(2006, 4, 9), sex="female")
        before_students, before_events = students_snapshot(), Event.objects.count()

        with pytest.raises(ValidationError) as caught:
            services.student_import_confirm(actor=admin, token=staged.token)

        assert caught.value.messages == [
            "The file no longer passes the checks (row 3: A student with this IIN is already recorded.). "
            "Upload it again to see them all."
        ]
        assert students_snapshot() == before_students
        assert Event.objects.count() == before_events
        assert staged_files(media) == []

    def test_all_or_nothing_when_saving_fails(self, admin, structure, monkeypatch):
        staged = stage(admin, "s.xlsx", xlsx_from_template([row(), row()]))
        real = services.audit_api.record

        def failing_record(**kwargs):
            real(**kwargs)
            from django.db import IntegrityError

            raise IntegrityError("simulated")

        monkeypatch.setattr(services.audit_api, "record", failing_record)
        before_events = Event.objects.count()
        with pytest.raises(ValidationError, match="nothing was imported"):
            services.student_import_confirm(actor=admin, token=staged.token)
        assert Student.objects.count() == 0
        assert Event.objects.count() == before_events

    def test_discard(self, admin, structure, media):
        staged = stage(admin, "s.xlsx", xlsx_from_template([row()]))
        services.student_import_discard(actor=admin, token=staged.token)
        assert staged_files(media) == []

    @pytest.mark.parametrize("role", [Role.TEACHER, Role.HEAD, Role.STUDENT])
    def test_only_the_administration_imports(self, make_user, structure, role):
        with pytest.raises(PermissionDenied):
            stage(make_user(role), "s.xlsx", xlsx_from_template([row()]))


def test_import_of_many_rows_uses_a_fixed_number_of_queries(admin, structure, django_assert_max_num_queries):
    rows = [row(birth=date(2000 + i % 8, 1 + i % 12, 1 + i % 28)) for i in range(600)]
    data = xlsx_from_template(rows)
    with django_assert_max_num_queries(12):
        staged = stage(admin, "s.xlsx", data)
    assert staged.preview.ok, staged.preview.problems[:3]
    with django_assert_max_num_queries(20):
        assert services.student_import_confirm(actor=admin, token=staged.token) == 600
    assert Student.objects.count() == 600


class TestSweep:
    def test_files_kept_for_a_day_without_confirmation_are_deleted(self, admin, structure, media):
        import os
        import time

        old = stage(admin, "old.csv", csv_bytes([row()]))
        assert old.token
        (old_path,) = staged_files(media)
        day_ago = time.time() - 25 * 3600
        os.utime(old_path, (day_ago, day_ago))

        fresh = stage(admin, "fresh.csv", csv_bytes([row(first_name="Дана")]))  # sweeps before it keeps
        assert [p.name for p in staged_files(media)] == [fresh.token]
        assert services.student_import_sweep() == 0

    def test_nothing_to_sweep(self, media):
        assert services.student_import_sweep() == 0
