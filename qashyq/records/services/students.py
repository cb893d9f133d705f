"""Writes of student records: create one, change contacts, import many (preview, then confirm).

A student's status, group, programme, form of study and course year change only by applying an order
(services/orders.py); nothing here touches them after a record is created.
"""

import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import FormOfStudy, Language
from qashyq.audit import api as audit_api
from qashyq.core.iin import iin_mask, iin_parse
from qashyq.records import imports, rules
from qashyq.records.data import Disability, Funding, Sex, StudentStatus
from qashyq.records.models import Student
from qashyq.records.permissions import can_manage_students

CONTACT_FIELDS = ("phone", "email", "address", "name_latin")
CREATE_FIELDS = frozenset(
    {
        "user",
        "iin",
        "last_name",
        "first_name",
        "patronymic",
        "name_latin",
        "birth_date",
        "sex",
        "citizenship",
        "phone",
        "email",
        "address",
        "programme_id",
        "group_id",
        "form_of_study",
        "language",
        "funding",
        "bolashak",
        "disability",
        "status",
        "course_year",
    }
)
# Checked here, with the IIN and the academic structure, not by full_clean (which would ask the
# database once per foreign key and per unique field: an import of thousands of rows cannot).
_NOT_BY_FULL_CLEAN = ["iin", "programme", "group", "user", "birth_date", "sex"]
BATCH_SIZE = 500
MAX_COURSE_YEAR = 8


def _require_manager(actor: Any) -> None:
    """`actor=None` is the system (management commands, the demo); a person must be the administration."""
    if actor is not None and not can_manage_students(user=actor):
        raise PermissionDenied(_("Only the administration service manages student records."))


def _dmy(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


@dataclass
class _Academics:
    """Programmes and groups looked up once for many records."""

    programmes: dict[int, Any] = field(default_factory=dict)
    groups: dict[int, Any] = field(default_factory=dict)

    def programme(self, programme_id: int | None) -> Any:
        if programme_id is None:
            return None
        if programme_id not in self.programmes:
            self.programmes[programme_id] = academics_api.programme_get(programme_id=programme_id)
        return self.programmes[programme_id]

    def group(self, group_id: int | None) -> Any:
        if group_id is None:
            return None
        if group_id not in self.groups:
            self.groups[group_id] = academics_api.group_get(group_id=group_id)
        return self.groups[group_id]


def student_problems(student: Student, *, academics: _Academics | None = None) -> dict[str, list[str]]:
    """Every problem of an unsaved record, by field; empty when it may be saved (the IIN's uniqueness
    is checked by the caller, once for many records)."""
    academics = academics or _Academics()
    errors: dict[str, list[str]] = {}
    try:
        student.full_clean(exclude=_NOT_BY_FULL_CLEAN, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                _add(errors, key, message)

    facts = None
    try:
        facts = iin_parse(student.iin or "")
    except ValidationError as error:
        _add(errors, "iin", error.messages[0])
    if not student.birth_date:
        _add(errors, "birth_date", _("Enter the birth date."))
    elif facts is not None and student.birth_date != facts.birth_date:
        _add(
            errors,
            "birth_date",
            _("The birth date %(date)s does not agree with the IIN, which gives %(iin_date)s.")
            % {"date": _dmy(student.birth_date), "iin_date": _dmy(facts.birth_date)},
        )
    if student.sex not in Sex.values:
        _add(errors, "sex", _("Choose the sex: male or female."))
    elif facts is not None and student.sex != facts.sex:
        _add(
            errors,
            "sex",
            _("The sex “%(sex)s” does not agree with the IIN, whose 7th digit gives “%(iin_sex)s”.")
            % {"sex": Sex(student.sex).label, "iin_sex": Sex(facts.sex).label},
        )

    if student.form_of_study not in FormOfStudy.values:
        _add(
            errors,
            "form_of_study",
            _("Unknown form of study “%(value)s”: use one of %(known)s.")
            % {"value": student.form_of_study, "known": ", ".join(FormOfStudy.values)},
        )
    if student.language not in Language.values:
        _add(
            errors,
            "language",
            _("Unknown language “%(value)s”: use one of %(known)s.")
            % {"value": student.language, "known": ", ".join(Language.values)},
        )
    if student.course_year is not None and not 1 <= student.course_year <= MAX_COURSE_YEAR:
        _add(errors, "course_year", _("The course year must be 1 to %(max)d.") % {"max": MAX_COURSE_YEAR})

    programme = academics.programme(student.programme_id)
    if programme is None:
        _add(errors, "programme", _("Choose an existing programme."))
    elif student.form_of_study in FormOfStudy.values and student.form_of_study not in programme.forms_offered:
        _add(
            errors,
            "form_of_study",
            _("The programme %(programme)s is not offered in the form “%(form)s”.")
            % {"programme": programme.code, "form": FormOfStudy(student.form_of_study).label},
        )
    if student.group_id is not None:
        group = academics.group(student.group_id)
        if group is None:
            _add(errors, "group", _("Choose an existing group."))
        elif programme is not None and group.programme_id != programme.id:
            _add(
                errors,
                "group",
                _("The group %(group)s belongs to the programme %(group_programme)s, not to %(programme)s.")
                % {"group": group.code, "group_programme": group.programme_code, "programme": programme.code},
            )
    return errors


def _fill_derived(student: Student) -> None:
    if not student.name_latin:
        student.name_latin = rules.name_latin(
            last_name=student.last_name, first_name=student.first_name, patronymic=student.patronymic
        )
    student.search_text = rules.search_text(
        last_name=student.last_name,
        first_name=student.first_name,
        patronymic=student.patronymic,
        name_latin=student.name_latin,
    )


def _iin_taken_message() -> str:
    return _("A student with this IIN is already recorded.")


def _audit_view(student: Student) -> dict[str, Any]:
    """What the ledger keeps of a record: never the full IIN nor the disability status."""
    return {
        "iin": iin_mask(student.iin),
        "name": student.full_name,
        "programme_id": student.programme_id,
        "group_id": student.group_id,
        "form_of_study": student.form_of_study,
        "status": student.status,
        "course_year": student.course_year,
    }


def student_create(*, actor: Any, **fields: Any) -> Student:
    """Record a student (an applicant unless `status` says otherwise); ValidationError by field when
    anything is wrong, and then nothing is written."""
    unknown = sorted(set(fields) - CREATE_FIELDS)
    if unknown:
        raise TypeError(f"student_create() got unexpected fields: {', '.join(unknown)}")
    _require_manager(actor)
    fields.setdefault("status", StudentStatus.APPLICANT)
    for key in ("patronymic", "name_latin", "phone", "email", "address", "disability"):
        fields[key] = (fields.get(key) or "").strip()
    for key in ("iin", "last_name", "first_name"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    student = Student(**fields)
    _fill_derived(student)
    errors = student_problems(student)
    if "iin" not in errors and Student.objects.filter(iin=student.iin).exists():
        _add(errors, "iin", _iin_taken_message())
    if student.user_id is not None and Student.objects.filter(user_id=student.user_id).exists():
        _add(errors, "user", _("This account already has a student record."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            student.save(force_insert=True)
            audit_api.record(actor=actor, action="records.student_created", target=student, after=_audit_view(student))
    except IntegrityError:
        raise ValidationError({"iin": _iin_taken_message()}) from None
    return student


def student_update_contacts(*, actor: Any, student: Student, **fields: Any) -> Student:
    """Change a student's phone, e-mail, address or Latin name. Anything else of a record (status,
    group, programme, form of study…) changes only through an order: asking for it is refused."""
    _require_manager(actor)
    refused = sorted(set(fields) - set(CONTACT_FIELDS))
    if refused:
        raise ValidationError(
            {
                key: _("%(field)s changes only through an order, not by editing the record.")
                % {"field": _field_label(key)}
                for key in refused
            }
        )
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for key, value in fields.items():
        value = (value or "").strip()
        if getattr(student, key) != value:
            before[key] = getattr(student, key)
            after[key] = value
    if not after:
        return student
    original = {key: getattr(student, key) for key in (*after, "search_text")}
    for key, value in after.items():
        setattr(student, key, value)
    if "name_latin" in after:
        _fill_derived(student)
    try:
        student.full_clean(exclude=[f.name for f in Student._meta.fields if f.name not in after])
    except ValidationError:
        for key, value in original.items():
            setattr(student, key, value)
        raise
    with transaction.atomic():
        student.save(update_fields=[*after, "search_text", "updated_at"])
        audit_api.record(
            actor=actor, action="records.student_contacts_changed", target=student, before=before, after=after
        )
    return student


def _field_label(key: str) -> str:
    name = key.removesuffix("_id")
    try:
        field = Student._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name)).capitalize()


# --- Import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    row: int  # as in the spreadsheet: the header is row 1
    column: str  # the column key; "" for the row as a whole
    message: str

    @property
    def column_label(self) -> str:
        return str(imports.COLUMN_LABELS.get(self.column, self.column))


@dataclass
class ImportPreview:
    rows: int
    problems: list[ImportProblem]
    students: list[Student]
    sha256: str
    name: str

    @property
    def ok(self) -> bool:
        return not self.problems and self.rows > 0


@dataclass(frozen=True)
class ImportStaged:
    token: str  # names the kept file; only its uploader can confirm it
    preview: ImportPreview


_TOKEN = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
_SEX_WORDS = {
    "male": Sex.MALE,
    "m": Sex.MALE,
    "ер": Sex.MALE,
    "м": Sex.MALE,
    "муж": Sex.MALE,
    "мужской": Sex.MALE,
    "female": Sex.FEMALE,
    "f": Sex.FEMALE,
    "әйел": Sex.FEMALE,
    "ж": Sex.FEMALE,
    "жен": Sex.FEMALE,
    "женский": Sex.FEMALE,
}
_YES = {"yes", "y", "1", "true", "иә", "да"}
_NO = {"", "no", "n", "0", "false", "жоқ", "нет"}


def _staged_path(*, actor: Any, token: str) -> str:
    if not _TOKEN.match(token):
        raise ValidationError(_("This import is unknown or has expired: upload the file again."))
    return f"{STAGED_ROOT}/{actor.pk}/{token}"


def _parse_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _choice(text: str, allowed: Iterable[str]) -> str:
    return text.strip().lower() if text.strip().lower() in allowed else text.strip()


def _row_to_student(
    number: int,
    row: dict[str, str],
    *,
    programmes: dict[str, Any],
    groups: dict[str, Any],
    problems: list[ImportProblem],
) -> Student:
    """An unsaved Student from one row; what cannot even be read is added to `problems`."""

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(number, column, message))

    def text(key: str) -> str:
        return row.get(key, "").strip()

    for key in imports.REQUIRED_KEYS:
        if not text(key):
            problem(key, _("This column must be filled in."))

    birth_date = None
    if text("birth_date"):
        birth_date = _parse_date(text("birth_date"))
        if birth_date is None:
            problem(
                "birth_date",
                _("“%(value)s” is not a date: write it as DD.MM.YYYY or YYYY-MM-DD.") % {"value": text("birth_date")},
            )
    sex = _SEX_WORDS.get(text("sex").lower(), text("sex"))
    programme = programmes.get(text("programme")) if text("programme") else None
    if text("programme") and programme is None:
        problem("programme", _("Unknown programme code “%(code)s”.") % {"code": text("programme")})
    group = groups.get(text("group")) if text("group") else None
    if text("group") and group is None:
        problem("group", _("Unknown group code “%(code)s”.") % {"code": text("group")})
    bolashak = text("bolashak").lower()
    if bolashak not in _YES | _NO:
        problem("bolashak", _("Write yes or no."))
    course_year = 1
    if text("course_year"):
        try:
            course_year = int(text("course_year"))
        except ValueError:
            problem("course_year", _("Write a whole number from 1 to %(max)d.") % {"max": MAX_COURSE_YEAR})
    disability = _choice(text("disability"), Disability.values)
    if disability not in Disability.values:
        problem(
            "disability",
            _("Unknown value “%(value)s”: leave it empty or use one of %(known)s.")
            % {"value": disability, "known": ", ".join(v for v in Disability.values if v)},
        )
        disability = ""
    funding = _choice(text("funding"), Funding.values)
    student = Student(
        iin=text("iin").replace(" ", ""),
        last_name=text("last_name"),
        first_name=text("first_name"),
        patronymic=text("patronymic"),
        name_latin=text("name_latin"),
        birth_date=birth_date,  # type: ignore[misc]  # None is reported as a problem, never saved
        sex=sex,
        citizenship=(text("citizenship") or "KZ").upper(),
        phone=text("phone"),
        email=text("email"),
        address=text("address"),
        programme_id=programme.id if programme is not None else None,
        group_id=group.id if group is not None else None,
        form_of_study=_choice(text("form_of_study"), FormOfStudy.values),
        language=_choice(text("language"), Language.values),
        funding=funding,
        bolashak=bolashak in _YES,
        disability=disability,
        status=StudentStatus.APPLICANT,
        course_year=course_year,
    )
    _fill_derived(student)
    return student


def _row_problems(number: int, student: Student, academics: _Academics, reported: set[str]) -> list[ImportProblem]:
    """The record's own problems, except in columns the row already reported (an empty or unreadable cell)."""
    found = []
    for key, messages in student_problems(student, academics=academics).items():
        column = key if key in imports.COLUMN_KEYS else ""
        if column in reported:
            continue
        for message in messages:
            found.append(ImportProblem(number, column, message if column else f"{_field_label(key)}: {message}"))
    return found


def student_import_check(*, sheet: imports.Sheet, sha256: str = "", name: str = "") -> ImportPreview:
    """Parse and validate every row of a sheet; return the students ready to save and every problem
    by row and column (wrong IIN, birth date or sex contradicting the IIN, unknown programme or group,
    group of another programme, IIN twice in the file or already recorded, empty required cells…)."""
    programme_codes = {row.get("programme", "").strip() for _, row in sheet.rows} - {""}
    group_codes = {row.get("group", "").strip() for _, row in sheet.rows} - {""}
    programmes = academics_api.programmes_by_code(codes=programme_codes)
    groups = academics_api.groups_by_code(codes=group_codes)
    academics = _Academics(programmes={p.id: p for p in programmes.values()}, groups={g.id: g for g in groups.values()})

    problems: list[ImportProblem] = []
    students: list[Student] = []
    first_row_of_iin: dict[str, int] = {}
    for number, row in sheet.rows:
        row_problems: list[ImportProblem] = []
        student = _row_to_student(number, row, programmes=programmes, groups=groups, problems=row_problems)
        row_problems.extend(_row_problems(number, student, academics, {p.column for p in row_problems}))
        if student.iin and not any(p.column == "iin" for p in row_problems):
            if student.iin in first_row_of_iin:
                row_problems.append(
                    ImportProblem(
                        number,
                        "iin",
                        _("The same IIN is on row %(row)d of this file.") % {"row": first_row_of_iin[student.iin]},
                    )
                )
            else:
                first_row_of_iin[student.iin] = number
        problems.extend(row_problems)
        students.append(student)

    taken: set[str] = set()
    iins = list(first_row_of_iin)
    for start in range(0, len(iins), BATCH_SIZE):
        taken.update(Student.objects.filter(iin__in=iins[start : start + BATCH_SIZE]).values_list("iin", flat=True))
    for iin in taken:
        problems.append(ImportProblem(first_row_of_iin[iin], "iin", _iin_taken_message()))
    columns = {key: i for i, key in enumerate(("", *imports.COLUMN_KEYS))}
    problems.sort(key=lambda p: (p.row, columns.get(p.column, 0)))
    return ImportPreview(rows=len(sheet.rows), problems=problems, students=students, sha256=sha256, name=name)


def student_import_preview(*, actor: Any, name: str, data: bytes) -> ImportPreview:
    """Read a CSV or XLSX file and check every row (nothing is written)."""
    _require_manager(actor)
    sheet = imports.read_sheet(name=name, data=data)
    if not sheet.rows:
        raise ValidationError({"file": _("The file has a header row but no students.")})
    return student_import_check(sheet=sheet, sha256=hashlib.sha256(data).hexdigest(), name=name)


STAGED_ROOT = "imports/students"
STAGED_LIFETIME = timedelta(days=1)


def student_import_sweep(*, now: datetime | None = None) -> int:
    """Delete kept import files older than a day (a preview that was never confirmed or discarded):
    they hold personal data. Runs before every new upload and daily; returns how many it deleted."""
    cutoff = (now or timezone.now()) - STAGED_LIFETIME
    deleted = 0
    if not default_storage.exists(STAGED_ROOT):
        return 0
    for uploader in default_storage.listdir(STAGED_ROOT)[0]:
        folder = f"{STAGED_ROOT}/{uploader}"
        for name in default_storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted


def student_import_stage(*, actor: Any, uploaded: UploadedFile) -> ImportStaged:
    """The preview step: check the file and, when every row is good, keep it for the confirm step
    under imports/students/<uploader id>/<token> (only that uploader can confirm or discard it)."""
    _require_manager(actor)
    student_import_sweep()
    name = uploaded.name or "upload"
    kind = imports.file_format(name)
    if (uploaded.size or 0) > imports.MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB: split it into smaller files.")
                % {"size": imports.MAX_BYTES >> 20}
            }
        )
    data = uploaded.read(imports.MAX_BYTES + 1)
    preview = student_import_preview(actor=actor, name=name, data=data)
    token = ""
    if preview.ok:
        token = f"{uuid.uuid4().hex}.{kind}"
        default_storage.save(_staged_path(actor=actor, token=token), ContentFile(data))
    return ImportStaged(token=token, preview=preview)


def student_import_discard(*, actor: Any, token: str) -> None:
    try:
        path = _staged_path(actor=actor, token=token)
    except ValidationError:
        return
    if default_storage.exists(path):
        default_storage.delete(path)


def student_import_confirm(*, actor: Any, token: str) -> int:
    """The confirm step: check the kept file again and import all its students as applicants in one
    transaction, or none. One audit event for the import (count, file hash), none per student: a
    per-row event would make a large import slow and the ledger long; each student's own history
    starts with the order that admits them."""
    _require_manager(actor)
    path = _staged_path(actor=actor, token=token)
    if not default_storage.exists(path):
        raise ValidationError(_("This import is unknown or has expired: upload the file again."))
    try:
        with default_storage.open(path, "rb") as stored:
            data = stored.read()
        preview = student_import_preview(actor=actor, name=token, data=data)
        if not preview.ok:
            first = preview.problems[0] if preview.problems else None
            raise ValidationError(
                _("The file no longer passes the checks (row %(row)d: %(message)s). Upload it again to see them all.")
                % {"row": first.row, "message": first.message}
                if first
                else _("The file has no students.")
            )
        try:
            with transaction.atomic():
                Student.objects.bulk_create(preview.students, batch_size=BATCH_SIZE)
                audit_api.record(
                    actor=actor,
                    action="records.students_imported",
                    target=("records.student_import", token.split(".", 1)[0]),
                    after={"count": len(preview.students), "sha256": preview.sha256, "status": StudentStatus.APPLICANT},
                )
        except IntegrityError:
            raise ValidationError(
                _(
                    "Another import or record took one of these IINs meanwhile; nothing was imported. "
                    "Upload the file again."
                )
            ) from None
    finally:
        default_storage.delete(path)
    return len(preview.students)
