"""The demo institution's organization, academic structure and student body, built through the services
of organization, academics and records (the same checks and audit events as a person's clicks).

Idempotent: each part is looked up by its natural key (the BIN, unit and position names, programme and
discipline codes, the year's title, group codes, students' IINs) and only what is missing is made. The
orders are the real flow: the administration service drafts them, the head signs them (numbers, PDFs in
Kazakh and Russian), and they come into force.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from qashyq.academics import services as academics_services
from qashyq.academics.data import EventKind, Level, PeriodKind, TeachingRole
from qashyq.academics.models import (
    AcademicCalendar,
    AcademicPeriod,
    AcademicYear,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.core import names
from qashyq.core.iin import iin_make, iin_parse
from qashyq.demo.curricula import DISCIPLINES, PROGRAMMES
from qashyq.organization import api as organization_api
from qashyq.organization import services as organization_services
from qashyq.organization.models import EducationLevel, Ownership, Position, StaffMember, Unit, UnitKind
from qashyq.records import api as records_api
from qashyq.records.data import Funding, OrderKind, StudentStatus
from qashyq.records.models import OrderItem, Student

# --- The profile -----------------------------------------------------------------------------------

INSTITUTION_BIN = "950340001233"  # registered March 1995, a resident legal entity; check digit by the IIN rule
INSTITUTION = {
    "name_kk": "Ыбырай Алтынсарин атындағы Ертіс гуманитарлық-техникалық университеті",
    "name_ru": "Ертисский гуманитарно-технический университет имени Ыбырая Алтынсарина",
    "name_en": "Ibyrai Altynsarin Ertis University of Humanities and Technology",
    "bin": INSTITUTION_BIN,
    "ownership": Ownership.JOINT_STOCK,
    "subordination": "Қазақстан Республикасы Ғылым және жоғары білім министрлігі "
    "(Министерство науки и высшего образования Республики Казахстан)",
    "education_levels": [EducationLevel.HIGHER, EducationLevel.POSTGRADUATE],
    "city_kk": "Павлодар",
    "city_ru": "Павлодар",
    "licence_number": "KZ27LAA00017452",
    "licence_date": date(2019, 7, 15),
    "licence_issuer": "Қазақстан Республикасы Білім және ғылым министрлігінің Білім және ғылым саласындағы "
    "сапаны қамтамасыз ету комитеті",
    "dlt_permission_number": "ҚОТ-2025/048",
    "dlt_permission_date": date(2025, 6, 20),
    "dlt_permission_valid_until": date(2030, 6, 19),
    "order_number_suffix": "ОД",
}

# --- Units and positions (rule 15: the DLT unit and its three services) ----------------------------


@dataclass(frozen=True)
class UnitRow:
    key: str
    kind: str
    name_kk: str
    name_ru: str
    name_en: str
    parent: str = ""


UNITS: tuple[UnitRow, ...] = (
    UnitRow("rectorate", UnitKind.OTHER, "Ректорат", "Ректорат", "Rector's Office"),
    UnitRow("dlt", UnitKind.DLT_UNIT, "Қашықтықтан оқыту орталығы", "Центр дистанционного обучения",
            "Distance Learning Centre"),
    UnitRow("administration", UnitKind.ADMINISTRATION, "Оқу процесін әкімшілендіру қызметі",
            "Служба администрирования учебного процесса", "Learning Process Administration Service", "dlt"),
    UnitRow("didactics", UnitKind.DIDACTICS, "Дидактикалық құралдарды әзірлеу қызметі",
            "Служба разработки дидактических средств", "Didactic Means Development Service", "dlt"),
    UnitRow("it_support", UnitKind.IT_SUPPORT, "Ақпараттық-техникалық қамтамасыз ету қызметі",
            "Служба информационно-технического обеспечения", "Information and Technical Support Service", "dlt"),
    UnitRow("faculty", UnitKind.FACULTY, "Педагогика және ақпараттық технологиялар факультеті",
            "Факультет педагогики и информационных технологий", "Faculty of Education and Information Technology"),
    UnitRow("dept_pedagogy", UnitKind.DEPARTMENT, "Педагогика және психология кафедрасы",
            "Кафедра педагогики и психологии", "Department of Education and Psychology", "faculty"),
    UnitRow("dept_informatics", UnitKind.DEPARTMENT, "Информатика кафедрасы", "Кафедра информатики",
            "Department of Computer Science", "faculty"),
)  # fmt: skip


@dataclass(frozen=True)
class PositionRow:
    unit: str
    name_kk: str
    name_ru: str
    name_en: str
    grants_role: str
    holders: tuple[str, ...]


POSITIONS: tuple[PositionRow, ...] = (
    PositionRow("rectorate", "Басқарма төрағасы – ректор", "Председатель правления – ректор",
                "Chairman of the Board and Rector", "head", ("head",)),
    PositionRow("administration", "Әдіскер", "Методист", "Methodologist", "administration", ("admin1", "admin2")),
    PositionRow("didactics", "Оқу-әдістемелік құралдарды әзірлеуші", "Разработчик учебно-методических материалов",
                "Instructional Designer", "didactics", ("didactics1", "didactics2")),
    PositionRow("it_support", "Инженер-бағдарламашы", "Инженер-программист", "Software Engineer", "it_support",
                ("itsupport",)),
    PositionRow("dept_pedagogy", "Аға оқытушы", "Старший преподаватель", "Senior Lecturer", "teacher",
                ("teacher1", "teacher4")),
    PositionRow("dept_informatics", "Қауымдастырылған профессор", "Ассоциированный профессор", "Associate Professor",
                "teacher", ("teacher2", "teacher3")),
    PositionRow("dlt", "Тьютор", "Тьютор", "Tutor", "tutor", ("tutor1", "tutor2", "teacher3")),
)  # fmt: skip

APPOINTED_ON = date(2026, 8, 24)

# --- The academic year 2026–2027 and its calendar ----------------------------------------------------

YEAR_TITLE = "2026–2027"
YEAR_START, YEAR_END = date(2026, 9, 1), date(2027, 8, 31)
SEMESTERS = ((1, date(2026, 9, 1), date(2027, 1, 24)), (2, date(2027, 1, 25), date(2027, 6, 30)))
# (kind, start, end, semester number or 0 for none)
CALENDAR_EVENTS: tuple[tuple[str, date, date, int], ...] = (
    (EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19), 1),
    (EventKind.MIDTERM_1, date(2026, 10, 19), date(2026, 10, 24), 1),
    (EventKind.MIDTERM_2, date(2026, 12, 14), date(2026, 12, 19), 1),
    (EventKind.ATTESTATION, date(2026, 12, 21), date(2027, 1, 10), 1),
    (EventKind.HOLIDAYS, date(2027, 1, 11), date(2027, 1, 24), 1),
    (EventKind.CLASSES, date(2027, 1, 25), date(2027, 5, 8), 2),
    (EventKind.MIDTERM_1, date(2027, 3, 15), date(2027, 3, 20), 2),
    (EventKind.MIDTERM_2, date(2027, 5, 3), date(2027, 5, 8), 2),
    (EventKind.ATTESTATION, date(2027, 5, 10), date(2027, 5, 29), 2),
    (EventKind.PRACTICE, date(2027, 5, 31), date(2027, 6, 30), 2),
    (EventKind.HOLIDAYS, date(2027, 7, 1), date(2027, 8, 31), 0),
)
CALENDAR_APPROVED_ON = date(2026, 8, 27)
CALENDAR_PROTOCOL = "1"

# --- Groups, teaching and students -------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    code: str
    programme: str
    language: str
    form_of_study: str
    accounts: tuple[int, int]  # the demo accounts student{from}..student{to} study here
    born: tuple[int, ...]  # birth years of the students without an account


GROUPS: tuple[GroupRow, ...] = (
    GroupRow("ПП-26-1К", "6B01101", "kk", "correspondence", (21, 30), (2003, 2004, 2005, 2006)),
    GroupRow("ПП-26-2Р", "6B01101", "ru", "correspondence", (31, 40), (2003, 2004, 2005, 2006)),
    GroupRow("ИНФ-26-1К", "6B06101", "kk", "full_time", (1, 10), (2007, 2008)),
    GroupRow("ИНФ-26-2Р", "6B06101", "ru", "full_time", (11, 20), (2007, 2008)),
)
GROUP_CAPACITY = 35
STUDENTS_PER_GROUP = 30
ADMISSION_YEAR = 2026

# (username, discipline code, role, group code or "" for every group that studies it)
TEACHING: tuple[tuple[str, str, str, str], ...] = (
    ("teacher1", "PK 1160", TeachingRole.TEACHER, "ПП-26-1К"),
    ("teacher1", "ZhFG 1161", TeachingRole.TEACHER, "ПП-26-1К"),
    ("teacher1", "KRT 1103", TeachingRole.TEACHER, "ПП-26-1К"),
    ("teacher1", "KRT 1103", TeachingRole.TEACHER, "ИНФ-26-1К"),
    ("teacher4", "PK 1160", TeachingRole.TEACHER, "ПП-26-2Р"),
    ("teacher4", "ZhFG 1161", TeachingRole.TEACHER, "ПП-26-2Р"),
    ("teacher4", "ASBM 1108", TeachingRole.TEACHER, "ПП-26-1К"),
    ("teacher4", "ASBM 1108", TeachingRole.TEACHER, "ПП-26-2Р"),
    ("teacher2", "IK 1120", TeachingRole.TEACHER, "ИНФ-26-2Р"),
    ("teacher2", "MT 1121", TeachingRole.TEACHER, "ИНФ-26-2Р"),
    ("teacher2", "KRT 1103", TeachingRole.TEACHER, "ИНФ-26-2Р"),
    ("teacher2", "KRT 1103", TeachingRole.TEACHER, "ПП-26-2Р"),
    ("teacher3", "IK 1120", TeachingRole.TEACHER, "ИНФ-26-1К"),
    ("teacher3", "MT 1121", TeachingRole.TEACHER, "ИНФ-26-1К"),
    ("teacher3", "AKT 1107", TeachingRole.TEACHER, ""),
    ("teacher3", "IK 1120", TeachingRole.TUTOR, "ИНФ-26-1К"),
    ("tutor1", "PK 1160", TeachingRole.TUTOR, "ПП-26-1К"),
    ("tutor1", "PK 1160", TeachingRole.TUTOR, "ПП-26-2Р"),
    ("tutor1", "ZhFG 1161", TeachingRole.TUTOR, "ПП-26-1К"),
    ("tutor2", "IK 1120", TeachingRole.TUTOR, "ИНФ-26-2Р"),
    ("tutor2", "MT 1121", TeachingRole.TUTOR, "ИНФ-26-2Р"),
    ("tutor2", "ShT 1105", TeachingRole.TUTOR, "ИНФ-26-2Р"),
)

# --- Orders ------------------------------------------------------------------------------------------

ADMISSION_DATE = date(2026, 9, 1)
ADMISSION_BASIS = (
    "Қабылдау комиссиясының 2026 жылғы 25 тамыздағы № 5 хаттамасы және білім алушылардың өтініштері",
    "Протокол приёмной комиссии от 25 августа 2026 года № 5 и заявления обучающихся",
)
TRANSFER_DATE = date(2026, 11, 2)
TRANSFER_BASIS = (
    "Білім алушының 2026 жылғы 26 қазандағы өтініші (орыс тілінде оқитын топқа ауысу)",
    "Заявление обучающегося от 26 октября 2026 года (перевод в группу с русским языком обучения)",
)
LEAVE_DATE = date(2026, 11, 16)
LEAVE_UNTIL = date(2027, 8, 31)
LEAVE_BASIS = (
    "Білім алушының өтініші және дәрігерлік-консультациялық комиссияның 2026 жылғы 10 қарашадағы № 214 қорытындысы",
    "Заявление обучающегося и заключение врачебно-консультационной комиссии от 10 ноября 2026 года № 214",
)
# Who moves and who takes leave: the last student without an account of each group.
TRANSFER_FROM, TRANSFER_TO = "ИНФ-26-1К", "ИНФ-26-2Р"
LEAVE_GROUP = "ПП-26-2Р"


@dataclass(frozen=True)
class StudentRow:
    group: str
    username: str  # "" for a student without an account
    iin: str
    last_name: str
    first_name: str
    patronymic: str
    female: bool
    birth_date: date
    funding: str
    disability: str
    phone: str


def _on(day: date) -> date:
    """A date of the demo, but never in the future (a service refuses what has not happened yet)."""
    return min(day, timezone.localdate())


def _generated_name(serial: int, *, russian: bool, female: bool) -> tuple[str, str, str]:
    if russian:
        first = (names.RUSSIAN_FEMALE if female else names.RUSSIAN_MALE)[serial % 8]
        surname = names.RUSSIAN_SURNAMES[(serial * 3 + 1) % 8]
        father = names.RUSSIAN_MALE[(serial * 5 + 2) % 8]
        if father == first:
            father = names.RUSSIAN_MALE[(serial * 5 + 3) % 8]
        patronymic = names.russian_patronymic(father, female=female)
    else:
        first = (names.KAZAKH_FEMALE if female else names.KAZAKH_MALE)[(serial * 7) % 20]
        surname = names.KAZAKH_SURNAMES[(serial * 5 + 3) % 16]
        father = names.KAZAKH_MALE[(serial * 11 + 4) % 20]
        if father == first:
            father = names.KAZAKH_MALE[(serial * 11 + 5) % 20]
        patronymic = names.kazakh_patronymic(father, female=female)
    return (names.female_surname(surname) if female else surname), first, patronymic


def student_rows(accounts: dict[str, Any]) -> list[StudentRow]:
    """The 120 students, 30 a group: the group's demo accounts first, then students without one."""
    rows: list[StudentRow] = []
    taken = {user.iin for user in accounts.values()}
    serial = 0
    for group_index, group in enumerate(GROUPS):
        first, last = group.accounts
        for n in range(first, last + 1):
            user = accounts[f"student{n:02d}"]
            facts = iin_parse(user.iin)
            rows.append(
                StudentRow(
                    group=group.code,
                    username=user.username,
                    iin=user.iin,
                    last_name=user.last_name,
                    first_name=user.first_name,
                    patronymic=user.patronymic,
                    female=facts.sex == "female",
                    birth_date=facts.birth_date,
                    funding=Funding.STATE_GRANT if n % 3 else Funding.PAID,
                    disability="",
                    phone=f"+7 701 {400 + n:03d} {10 + n:02d} {20 + n:02d}",
                )
            )
        for j in range(STUDENTS_PER_GROUP - (last - first + 1)):
            serial += 1
            female = (j + group_index) % 2 == 0
            # Russian-language groups hold Russian and Kazakh names alike.
            russian = group.language == "ru" and j % 2 == 0
            last_name, first_name, patronymic = _generated_name(serial, russian=russian, female=female)
            birth = date(group.born[j % len(group.born)], 1 + (serial * 5) % 12, 1 + (serial * 11) % 28)
            iin = iin_make(birth_date=birth, sex="female" if female else "male", serial=3000 + serial * 29)
            while iin in taken:  # never happens with these serials, but an IIN must be unique
                iin = iin_make(birth_date=birth, sex="female" if female else "male", serial=int(iin[7:11]) + 1)
            taken.add(iin)
            rows.append(
                StudentRow(
                    group=group.code,
                    username="",
                    iin=iin,
                    last_name=last_name,
                    first_name=first_name,
                    patronymic=patronymic,
                    female=female,
                    birth_date=birth,
                    funding=Funding.PAID if serial % 4 == 0 else Funding.STATE_GRANT,
                    # Persons with disabilities are one of the five DLT categories (rule 10).
                    disability="group_3" if serial in (7, 52) else "",
                    phone=f"+7 705 {300 + serial:03d} {40 + serial % 60:02d} {serial % 100:02d}",
                )
            )
    return rows


# --- Building ---------------------------------------------------------------------------------------


def _institution() -> None:
    if organization_api.institution_get() is None:
        organization_services.institution_update(actor=None, **INSTITUTION)


def _structure(users: dict[str, Any]) -> None:
    units: dict[str, Unit] = {}
    for row in UNITS:
        unit = Unit.objects.filter(kind=row.kind, name_kk=row.name_kk).first()
        if unit is None:
            unit = organization_services.unit_create(
                actor=None,
                kind=row.kind,
                name_kk=row.name_kk,
                name_ru=row.name_ru,
                name_en=row.name_en,
                parent=units[row.parent] if row.parent else None,
            )
        units[row.key] = unit
    for p in POSITIONS:
        position = Position.objects.filter(unit=units[p.unit], name_kk=p.name_kk).first()
        if position is None:
            position = organization_services.position_create(
                actor=None,
                unit=units[p.unit],
                name_kk=p.name_kk,
                name_ru=p.name_ru,
                name_en=p.name_en,
                grants_role=p.grants_role,
            )
        holding = set(
            StaffMember.objects.filter(position=position, end_date__isnull=True).values_list("user_id", flat=True)
        )
        for username in p.holders:
            user = users[username]
            if user.pk not in holding:
                organization_services.staff_assign(
                    actor=None, user=user, position=position, start_date=_on(APPOINTED_ON)
                )


def _programmes() -> dict[str, Programme]:
    disciplines = {d.code: d for d in Discipline.objects.filter(code__in=[row.code for row in DISCIPLINES])}
    for row in DISCIPLINES:
        if row.code not in disciplines:
            disciplines[row.code] = academics_services.discipline_create(
                actor=None,
                code=row.code,
                name_kk=row.name_kk,
                name_ru=row.name_ru,
                name_en=row.name_en,
                credits=row.credits,
            )
    programmes: dict[str, Programme] = {}
    for p in PROGRAMMES:
        programme = Programme.objects.filter(code=p.code).first()
        if programme is None:
            programme = academics_services.programme_create(
                actor=None,
                code=p.code,
                name_kk=p.name_kk,
                name_ru=p.name_ru,
                name_en=p.name_en,
                level=Level.BACHELOR,
                forms_offered=list(p.forms_offered),
                languages=list(p.languages),
                periods=8,
                shortened=bool(p.shortened_basis),
                shortened_basis=p.shortened_basis,
            )
        programmes[p.code] = programme
        present = set(
            CurriculumEntry.objects.filter(programme=programme).values_list("discipline__code", "period_number")
        )
        for period, code, cycle, component, final_control in p.curriculum:
            if (code, period) not in present:
                academics_services.curriculum_entry_add(
                    actor=None,
                    programme=programme,
                    discipline=disciplines[code],
                    period_number=period,
                    cycle=cycle,
                    component=component,
                    final_control=final_control,
                )
    return programmes


def academic_year(
    *,
    title: str,
    span: tuple[date, date],
    semesters: Sequence[tuple[int, date, date]],
    events: Sequence[tuple[str, date, date, int | None]],
    approved_on: date,
    protocol: str,
) -> dict[int, AcademicPeriod]:
    """The academic year `title` with its semesters and its approved bachelor's calendar, made through the
    services where missing; its periods by number. The gradebook's earlier year is built the same way."""
    year = AcademicYear.objects.filter(title=title).first()
    if year is None:
        year = academics_services.academic_year_create(actor=None, title=title, start_date=span[0], end_date=span[1])
    periods = {p.number: p for p in AcademicPeriod.objects.filter(year=year)}
    for number, start, end in semesters:
        if number not in periods:
            periods[number] = academics_services.academic_period_create(
                actor=None, year=year, kind=PeriodKind.SEMESTER, number=number, start_date=start, end_date=end
            )
    calendar = AcademicCalendar.objects.filter(year=year, level=Level.BACHELOR).first()
    if calendar is None:
        calendar = academics_services.calendar_create(actor=None, year=year, level=Level.BACHELOR)
    if calendar.approved:
        return periods
    present = set(calendar.events.values_list("kind", "start_date"))
    for kind, start, end, semester in events:
        if (kind, start) not in present:
            academics_services.calendar_event_add(
                actor=None,
                calendar=calendar,
                kind=kind,
                start_date=start,
                end_date=end,
                period=periods[semester] if semester else None,
            )
    academics_services.calendar_approve(
        actor=None, calendar=calendar, approved_on=_on(approved_on), protocol_number=protocol
    )
    return periods


def _groups(programmes: dict[str, Programme]) -> dict[str, StudyGroup]:
    groups = {g.code: g for g in StudyGroup.objects.filter(code__in=[row.code for row in GROUPS])}
    for row in GROUPS:
        if row.code not in groups:
            groups[row.code] = academics_services.group_create(
                actor=None,
                code=row.code,
                programme=programmes[row.programme],
                admission_year=ADMISSION_YEAR,
                language=row.language,
                form_of_study=row.form_of_study,
                capacity=GROUP_CAPACITY,
            )
    return groups


def _teaching(users: dict[str, Any], groups: dict[str, StudyGroup]) -> None:
    disciplines = {d.code: d for d in Discipline.objects.filter(code__in={row[1] for row in TEACHING})}
    present = set(
        TeachingAssignment.objects.filter(user__in=[users[row[0]] for row in TEACHING]).values_list(
            "user_id", "discipline_id", "group_id", "role"
        )
    )
    for username, code, role, group_code in TEACHING:
        user, discipline = users[username], disciplines[code]
        group = groups[group_code] if group_code else None
        if (user.pk, discipline.pk, group.pk if group else None, role) not in present:
            academics_services.teaching_assignment_add(
                actor=None, user=user, discipline=discipline, role=role, group=group
            )


def _students(
    rows: list[StudentRow], users: dict[str, Any], groups: dict[str, StudyGroup], actor: Any
) -> dict[str, Student]:
    """The records, as applicants: the admission orders make them students."""
    existing = {s.iin: s for s in Student.objects.filter(iin__in=[row.iin for row in rows])}
    by_code = {row.code: row for row in GROUPS}
    for row in rows:
        if row.iin in existing:
            continue
        group = groups[row.group]
        existing[row.iin] = records_api.student_create(
            actor=actor,
            user=users[row.username] if row.username else None,
            iin=row.iin,
            last_name=row.last_name,
            first_name=row.first_name,
            patronymic=row.patronymic,
            birth_date=row.birth_date,
            sex="female" if row.female else "male",
            citizenship="KZ",
            phone=row.phone,
            email=users[row.username].email if row.username else "",
            programme_id=group.programme_id,
            form_of_study=by_code[row.group].form_of_study,
            language=by_code[row.group].language,
            funding=row.funding,
            disability=row.disability,
            course_year=1,
        )
    return existing


def _orders(
    rows: list[StudentRow], students: dict[str, Student], groups: dict[str, StudyGroup], admin: Any, head: Any
) -> None:
    in_orders = set(OrderItem.objects.filter(student__in=students.values()).values_list("student_id", "order__kind"))
    ordered = {student_id for student_id, _kind in in_orders}
    for group in GROUPS:
        waiting = [
            students[row.iin]
            for row in rows
            if row.group == group.code
            and students[row.iin].status == StudentStatus.APPLICANT
            and students[row.iin].pk not in ordered
        ]
        if not waiting:
            continue
        order = records_api.order_create(
            actor=admin,
            kind=OrderKind.ADMISSION,
            effective_date=_on(ADMISSION_DATE),
            basis_kk=ADMISSION_BASIS[0],
            basis_ru=ADMISSION_BASIS[1],
        )
        for student in waiting:
            records_api.order_student_add(
                actor=admin,
                order_id=order.id,
                student_id=student.pk,
                changes={"group": groups[group.code].pk, "course_year": 1},
            )
        records_api.order_sign(actor=head, order_id=order.id)

    mover = students[[row for row in rows if row.group == TRANSFER_FROM and not row.username][-1].iin]
    mover.refresh_from_db()
    if (mover.pk, OrderKind.TRANSFER) not in in_orders and mover.status == StudentStatus.ACTIVE:
        order = records_api.order_create(
            actor=admin,
            kind=OrderKind.TRANSFER,
            effective_date=_on(TRANSFER_DATE),
            basis_kk=TRANSFER_BASIS[0],
            basis_ru=TRANSFER_BASIS[1],
        )
        records_api.order_student_add(
            actor=admin, order_id=order.id, student_id=mover.pk, changes={"group": groups[TRANSFER_TO].pk}
        )
        records_api.order_sign(actor=head, order_id=order.id)

    resting = students[[row for row in rows if row.group == LEAVE_GROUP and not row.username][-1].iin]
    resting.refresh_from_db()
    if (resting.pk, OrderKind.ACADEMIC_LEAVE) not in in_orders and resting.status == StudentStatus.ACTIVE:
        order = records_api.order_create(
            actor=admin,
            kind=OrderKind.ACADEMIC_LEAVE,
            effective_date=_on(LEAVE_DATE),
            basis_kk=LEAVE_BASIS[0],
            basis_ru=LEAVE_BASIS[1],
        )
        records_api.order_student_add(
            actor=admin,
            order_id=order.id,
            student_id=resting.pk,
            changes={"until": LEAVE_UNTIL.isoformat()},
            note="Денсаулық жағдайы бойынша / По состоянию здоровья",
        )
        records_api.order_sign(actor=head, order_id=order.id)


def institution_seed() -> None:
    """Build whatever part of the demo institution is missing (the accounts must exist already)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}
    _institution()
    _structure(users)
    programmes = _programmes()
    academic_year(
        title=YEAR_TITLE,
        span=(YEAR_START, YEAR_END),
        semesters=SEMESTERS,
        events=CALENDAR_EVENTS,
        approved_on=CALENDAR_APPROVED_ON,
        protocol=CALENDAR_PROTOCOL,
    )
    groups = _groups(programmes)
    _teaching(users, groups)
    rows = student_rows(users)
    admin, head = users["admin1"], users["head"]
    students = _students(rows, users, groups, admin)
    _orders(rows, students, groups, admin, head)


def _usernames() -> list[str]:
    staff = {holder for p in POSITIONS for holder in p.holders}
    return sorted(staff | {f"student{n:02d}" for n in range(1, 41)})
