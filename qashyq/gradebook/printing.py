"""Printed documents of the gradebook, issued through documents.api: a number, a verification code with its QR
code that the public verification page checks, the stored file's SHA-256 and the audit event "documents.issued".

- The grade sheet (ведомость) of a course and group for a session: midterm control 1 or 2 (current control,
  midterm score, the rating R1/R2 and its letter) or the exam (admission rating, exam, final score, letter,
  digital equivalent, traditional grade); totals by letter and the signatures; in Kazakh or Russian.
- A student's transcript in Kazakh, Russian or English (`selectors.transcripts`): the disciplines with a final
  letter by academic year and period, GPA per period, per year and cumulative.

Every call issues a new document: a snapshot of the grades on its day, with its own code. The words of the texts
are in the tables below (one per language), the layout in templates/gradebook/print/. Callers check who may
print (`access_transcript`, `permissions.access_course_gradebook`); the download checks registered with
documents are `can_download_*`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from qashyq.academics import api as academics_api
from qashyq.academics.data import PeriodData
from qashyq.accounts.api import Role, acting_roles
from qashyq.content import api as content_api
from qashyq.content.data import StaffRole
from qashyq.core.i18n import localized
from qashyq.documents import api as documents_api
from qashyq.documents.api import FORM_OF_STUDY, DocumentData, date_numeric, person_name
from qashyq.gradebook import rules
from qashyq.gradebook.models import TranscriptJob
from qashyq.gradebook.permissions import CourseGradebook, access_course_gradebook
from qashyq.gradebook.selectors import journal as journal_selectors
from qashyq.gradebook.selectors import results as results_selectors
from qashyq.gradebook.selectors.transcripts import Transcript, transcript_get
from qashyq.organization import api as organization_api
from qashyq.records import api as records_api
from qashyq.records.data import StudentData

GRADE_SHEET_TEMPLATE = "gradebook/print/grade_sheet.html"
TRANSCRIPT_TEMPLATE = "gradebook/print/transcript.html"

KIND_GRADE_SHEET = "gradebook.grade_sheet"
KIND_TRANSCRIPT = "gradebook.transcript"
TARGET_GRADE_SHEET = "gradebook.gradesheet"
TARGET_TRANSCRIPT = "gradebook.transcript"

GRADE_SHEET_LANGUAGES = ("kk", "ru")
TRANSCRIPT_LANGUAGES = ("kk", "ru", "en")
SEE_ALL = frozenset({Role.ADMINISTRATION, Role.HEAD})
NO_VALUE = "—"
# The session in a grade sheet's number ("12-5-RK1-1").
SESSION_CODES = {"rk1": "RK1", "rk2": "RK2", "exam": "EX"}


class Session(models.TextChoices):
    """What a grade sheet is for."""

    RK1 = "rk1", pgettext_lazy("grade sheet", "Midterm control 1 (RK1)")
    RK2 = "rk2", pgettext_lazy("grade sheet", "Midterm control 2 (RK2)")
    EXAM = "exam", pgettext_lazy("grade sheet", "Exam")


# --- Words of the documents (the layout is in the templates) ----------------------------------------------

SHEET_WORDS: dict[str, dict[str, str]] = {
    "kk": {
        "title_rk1": "1-аралық бақылау (АБ1) ведомосы",
        "title_rk2": "2-аралық бақылау (АБ2) ведомосы",
        "title_exam": "Емтихан ведомосы",
        "discipline": "Пән",
        "credits": "Кредит саны",
        "group": "Топ",
        "period": "Академиялық кезең",
        "teacher": "Оқытушы",
        "tutor": "Тьютор",
        "student": "Білім алушының аты-жөні",
        "tk1": "Ағымдағы бақылау 1",
        "rk1": "Аралық бақылау 1 (АБ1)",
        "r1": "Рейтинг 1 (Р1)",
        "tk2": "Ағымдағы бақылау 2",
        "rk2": "Аралық бақылау 2 (АБ2)",
        "r2": "Рейтинг 2 (Р2)",
        "admission": "Жіберу рейтингі",
        "exam": "Емтихан",
        "final": "Қорытынды балл",
        "letter": "Әріптік баға",
        "gpa": "Сандық балама",
        "traditional": "Дәстүрлі баға",
        "not_admitted": "жіберілмеді",
        "retake_note": "* — FX бағасын қайта тапсыру нәтижесі.",
        "totals": "Әріптік бағалар бойынша қорытынды",
        "grade": "Баға",
        "count": "Саны",
        "share": "Үлесі, %",
        "no_grade": "Бағасы жоқ",
        "not_admitted_total": "Емтиханға жіберілмеді",
        "total": "Барлығы",
        "no_students": "Ведомостта білім алушылар жоқ.",
        "head": "Кафедра меңгерушісі / декан",
        "date": "Күні",
        "date_blank": "«___» ____________ 20___ ж.",
        "formed": "Қалыптастырылған күні",
    },
    "ru": {
        "title_rk1": "Ведомость рубежного контроля 1 (РК1)",
        "title_rk2": "Ведомость рубежного контроля 2 (РК2)",
        "title_exam": "Экзаменационная ведомость",
        "discipline": "Дисциплина",
        "credits": "Количество кредитов",
        "group": "Группа",
        "period": "Академический период",
        "teacher": "Преподаватель",
        "tutor": "Тьютор",
        "student": "Ф.И.О. обучающегося",
        "tk1": "Текущий контроль 1 (ТК1)",
        "rk1": "Рубежный контроль 1 (РК1)",
        "r1": "Рейтинг 1 (Р1)",
        "tk2": "Текущий контроль 2 (ТК2)",
        "rk2": "Рубежный контроль 2 (РК2)",
        "r2": "Рейтинг 2 (Р2)",
        "admission": "Рейтинг допуска",
        "exam": "Экзамен",
        "final": "Итоговый балл",
        "letter": "Буквенная оценка",
        "gpa": "Цифровой эквивалент",
        "traditional": "Традиционная оценка",
        "not_admitted": "не допущен(а)",
        "retake_note": "* — результат пересдачи оценки FX.",
        "totals": "Итоги по буквенным оценкам",
        "grade": "Оценка",
        "count": "Количество",
        "share": "Доля, %",
        "no_grade": "Без оценки",
        "not_admitted_total": "Не допущены к экзамену",
        "total": "Всего",
        "no_students": "В ведомости нет обучающихся.",
        "head": "Заведующий кафедрой / декан",
        "date": "Дата",
        "date_blank": "«___» ____________ 20___ г.",
        "formed": "Дата формирования",
    },
}

TRANSCRIPT_WORDS: dict[str, dict[str, str]] = {
    "kk": {
        "title": "Транскрипт",
        "number_sign": "№",
        "student": "Білім алушы",
        "programme": "Білім беру бағдарламасы",
        "group": "Топ",
        "form": "Оқу нысаны",
        "year": "{title} оқу жылы",
        "semester": "{number}-семестр",
        "trimester": "{number}-триместр",
        "period": "{number}-академиялық кезең",
        "code": "Пән коды",
        "discipline": "Пәннің атауы",
        "credits": "Кредит",
        "points": "Балл",
        "letter": "Әріптік баға",
        "gpa": "Сандық балама",
        "traditional": "Дәстүрлі баға",
        "period_total": "Кезең бойынша: кредит — {credits}, GPA — {gpa}",
        "year_total": "Оқу жылы бойынша: кредит — {credits}, GPA — {gpa}",
        "total": "Барлығы: кредит — {credits}, жинақталған GPA — {gpa}",
        "empty": "Қорытынды бағасы бар пәндер әзірге жоқ.",
        "note": "GPA — кредиттер бойынша өлшенген бағалардың орташа сандық баламасы; F бағасы 0 болып есептеледі. "
        "Оқылып жатқан пәндер мен FX бағасын қайта тапсыруды күтіп тұрған пәндер көрсетілмейді.",
        "registrar": "Тіркеу офисі",
        "issued": "Берілген күні",
    },
    "ru": {
        "title": "Транскрипт",
        "number_sign": "№",
        "student": "Обучающийся",
        "programme": "Образовательная программа",
        "group": "Группа",
        "form": "Форма обучения",
        "year": "{title} учебный год",
        "semester": "Семестр {number}",
        "trimester": "Триместр {number}",
        "period": "Академический период {number}",
        "code": "Код",
        "discipline": "Дисциплина",
        "credits": "Кредиты",
        "points": "Баллы",
        "letter": "Буквенная оценка",
        "gpa": "Цифровой эквивалент",
        "traditional": "Традиционная оценка",
        "period_total": "Итого за период: кредитов — {credits}, GPA — {gpa}",
        "year_total": "Итого за учебный год: кредитов — {credits}, GPA — {gpa}",
        "total": "Всего: кредитов — {credits}, накопленный GPA — {gpa}",
        "empty": "Дисциплин с итоговой оценкой пока нет.",
        "note": "GPA — средневзвешенный по кредитам цифровой эквивалент оценок; оценка F учитывается как 0. "
        "Изучаемые дисциплины и дисциплины, ожидающие пересдачи оценки FX, не указываются.",
        "registrar": "Офис регистратора",
        "issued": "Дата выдачи",
    },
    "en": {
        "title": "Transcript",
        "number_sign": "No.",
        "student": "Student",
        "programme": "Educational programme",
        "group": "Group",
        "form": "Form of study",
        "year": "Academic year {title}",
        "semester": "Semester {number}",
        "trimester": "Trimester {number}",
        "period": "Academic period {number}",
        "code": "Code",
        "discipline": "Discipline",
        "credits": "Credits",
        "points": "Points",
        "letter": "Letter grade",
        "gpa": "Grade points",
        "traditional": "Traditional grade",
        "period_total": "Period total: {credits} credits, GPA {gpa}",
        "year_total": "Year total: {credits} credits, GPA {gpa}",
        "total": "Total: {credits} credits, cumulative GPA {gpa}",
        "empty": "No discipline has a final grade yet.",
        "note": "GPA: the credit-weighted mean of the grade points; F counts as 0. Disciplines in progress and "
        "those waiting for the FX retake are not listed.",
        "registrar": "Registrar's office",
        "issued": "Date of issue",
    },
}
FORM_OF_STUDY_EN = {"full_time": "full-time", "part_time": "part-time", "correspondence": "correspondence"}
# The institution's name when its profile is not filled in yet.
PLACEHOLDER_INSTITUTION = {
    "kk": "Білім беру ұйымы",
    "ru": "Организация образования",
    "en": "Educational institution",
}


def number_text(value: Decimal | None, language: str, places: int = 2) -> str:
    """A score or GPA as the document prints it: "87,50" in Kazakh and Russian, "87.50" in English."""
    if value is None:
        return NO_VALUE
    text = f"{value:.{places}f}"
    return text if language == "en" else text.replace(".", ",")


def institution_name(language: str) -> str:
    institution = organization_api.institution_get()
    if institution is None:
        return PLACEHOLDER_INSTITUTION[language]
    return localized(institution, "name", language)


def period_heading(year_title: str, kind: str, number: int, language: str) -> str:
    """ "2026–2027 оқу жылы, 1-семестр" / "2026–2027 учебный год, семестр 1" / "Academic year 2026–2027,
    semester 1"."""
    words = TRANSCRIPT_WORDS[language]
    year = words["year"].format(title=year_title)
    name = (words.get(kind) or words["period"]).format(number=number)
    return f"{year}, {name}" if language == "kk" else f"{year}, {name[:1].lower()}{name[1:]}"


def period_words(period: PeriodData | None, language: str) -> str:
    if period is None:
        return ""
    return period_heading(period.year_title, period.kind, period.number, language)


def _numbered(target: tuple[str, str], prefix: str) -> str:
    """The next number of the target's documents: "<prefix>-<n>"."""
    return f"{prefix}-{len(documents_api.documents_for(target=target)) + 1}"


def _check_language(language: str, allowed: tuple[str, ...]) -> None:
    if language not in allowed:
        raise ValidationError(
            _("This document is printed in %(languages)s only.") % {"languages": ", ".join(allowed)}, code="language"
        )


# --- The grade sheet --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    number: int
    full_name: str
    group: str
    cells: tuple[str, ...]  # the session's columns, as printed
    tally: str  # where the row counts in the totals: a letter, "not_admitted" or "no_grade"


def _letter_of(value: Decimal | None, policy: rules.Policy) -> str:
    """The letter of a rating on the scale (whole points by the policy's rounding)."""
    if value is None:
        return ""
    return policy.scale.band_for(rules.whole_points(value, policy.rounding)).letter


def _sheet_rows(
    journal: journal_selectors.Journal, session: str, language: str, policy: rules.Policy
) -> tuple[list[SheetRow], bool]:
    """The rows of the sheet and whether an exam score is a retake's (marked with "*")."""
    words = SHEET_WORDS[language]
    rows: list[SheetRow] = []
    retakes = False
    for index, row in enumerate(journal.rows, start=1):
        result = row.result
        cells: tuple[str, ...]
        if session in (Session.RK1, Session.RK2):
            suffix = "1" if session == Session.RK1 else "2"
            rating = getattr(result, f"r{suffix}")
            letter = _letter_of(rating, policy)
            cells = (
                number_text(getattr(result, f"tk{suffix}"), language),
                number_text(getattr(result, f"rk{suffix}"), language),
                number_text(rating, language),
                letter or NO_VALUE,
            )
            tally = letter or "no_grade"
        else:
            traditional = getattr(result, f"traditional_{language}", "") or result.traditional
            if result.admitted or not row.has_result:
                exam = number_text(result.exam, language)
                if result.exam is not None and result.exam_attempt == 2:
                    exam += "*"
                    retakes = True
            else:
                exam = words["not_admitted"]
            cells = (
                number_text(result.admission, language),
                exam,
                number_text(result.final, language),
                result.letter or NO_VALUE,
                number_text(result.gpa, language) if result.letter else NO_VALUE,
                traditional if result.letter else NO_VALUE,
            )
            if result.letter:
                tally = result.letter
            elif row.has_result and not result.admitted:
                tally = "not_admitted"
            else:
                tally = "no_grade"
        rows.append(SheetRow(number=index, full_name=row.full_name, group=row.group_code, cells=cells, tally=tally))
    return rows, retakes


def _totals(rows: list[SheetRow], letters: list[str], language: str, session: str) -> list[dict[str, str]]:
    """One line per letter of the scale, then the rows not admitted (exam) and without a grade: each row counts
    once."""
    words = SHEET_WORDS[language]
    total = len(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.tally] = counts.get(row.tally, 0) + 1
    labels = [(letter, letter) for letter in letters]
    if session == Session.EXAM:
        labels.append(("not_admitted", words["not_admitted_total"]))
    labels.append(("no_grade", words["no_grade"]))

    def share(count: int) -> str:
        return number_text(Decimal(count * 100) / total, language, 1) if total else NO_VALUE

    return [
        {"label": label, "count": str(counts.get(key, 0)), "share": share(counts.get(key, 0))} for key, label in labels
    ]


def _staff_names(course_id: int, group_id: int | None) -> tuple[list[Any], list[Any]]:
    """The course's teachers, and its tutors of the group (or of every group), as users (two queries)."""
    staff = content_api.course_staff(course_ids=[course_id])
    wanted = {s.user_id for s in staff}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=wanted)} if wanted else {}
    teachers = [users[s.user_id] for s in staff if s.role == StaffRole.TEACHER and s.user_id in users]
    tutors = [
        users[s.user_id]
        for s in staff
        if s.role == StaffRole.TUTOR
        and s.user_id in users
        and (not s.group_ids or group_id is None or group_id in s.group_ids)
    ]
    return teachers, tutors


def _full_name(user: Any) -> str:
    return str(getattr(user, "full_name", "") or person_name(user))


def grade_sheet_target(course_id: int, group_id: int | None, session: str) -> tuple[str, str]:
    return (TARGET_GRADE_SHEET, f"{course_id}-{group_id or 0}-{session}")


def grade_sheet_context(
    *, access: CourseGradebook, group_id: int | None, session: str, language: str, today: date | None = None
) -> dict[str, Any]:
    """What the sheet prints (about twenty queries whatever the number of students): the journal of the course
    and group, the policy's scale, the discipline and the period, the staff."""
    words = SHEET_WORDS[language]
    course = access.course
    journal = journal_selectors.course_journal(course=course, group_ids=access.group_ids, group_id=group_id)
    period = journal.period
    _row, policy = results_selectors.policy_on(on=period.start_date if period else timezone.localdate())
    rows, retakes = _sheet_rows(journal, session, language, policy)
    letters = [band.letter for band in policy.scale.bands]
    discipline = academics_api.discipline_get(discipline_id=course.discipline_id)
    teachers, tutors = _staff_names(course.id, group_id)
    groups = [g for g in journal.groups if group_id is None or g.id == group_id]
    if session == Session.EXAM:
        columns = [words[key] for key in ("admission", "exam", "final", "letter", "gpa", "traditional")]
    else:
        suffix = "1" if session == Session.RK1 else "2"
        columns = [words[f"tk{suffix}"], words[f"rk{suffix}"], words[f"r{suffix}"], words["letter"]]
    return {
        "w": words,
        "institution": institution_name(language),
        "session": session,
        "heading": words[f"title_{session}"],
        "discipline": {
            "code": discipline.code if discipline else "",
            "name": localized(discipline, "name", language) if discipline else course.title,
        },
        "credits": discipline.credits if discipline else "",
        "groups": ", ".join(g.code for g in groups),
        "show_group": len(groups) > 1,
        "period": period_words(period, language),
        "teachers": ", ".join(_full_name(u) for u in teachers),
        "tutors": ", ".join(_full_name(u) for u in tutors),
        "signing_teacher": ", ".join(person_name(u) for u in teachers),
        "columns": columns,
        "rows": rows,
        "retakes": retakes,
        "totals": _totals(rows, letters, language, session),
        "total": len(rows),
        "total_share": number_text(Decimal(100), language, 1) if rows else NO_VALUE,
        "formed_on": date_numeric(today or timezone.localdate()),
    }


def grade_sheet_title(*, number: str, course_code: str, groups: str, session: str, language: str) -> str:
    """Public (names nobody): "Емтихан ведомосы № 12-5-EX-1 (ИС201, ИС-26-1)"."""
    heading = SHEET_WORDS[language][f"title_{session}"]
    where = ", ".join(part for part in (course_code, groups) if part)
    return f"{heading} № {number} ({where})"


def grade_sheet_issue(
    *, access: CourseGradebook, group_id: int | None, session: str, language: str, actor: Any
) -> DocumentData:
    """The grade sheet of the course (and group: None for every group the viewer sees) for the session, in
    Kazakh or Russian, as a new verifiable document. ValidationError for another language or session."""
    _check_language(language, GRADE_SHEET_LANGUAGES)
    if session not in Session.values:
        raise ValidationError(_("Choose the session: midterm control 1, 2 or the exam."), code="session")
    today = timezone.localdate()
    context = grade_sheet_context(access=access, group_id=group_id, session=session, language=language, today=today)
    target = grade_sheet_target(access.course.id, group_id, session)
    number = _numbered(target, f"{access.course.id}-{group_id or 0}-{SESSION_CODES[session]}")
    context["number"] = number
    return documents_api.document_issue(
        kind=KIND_GRADE_SHEET,
        title=grade_sheet_title(
            number=number, course_code=access.course.code, groups=context["groups"], session=session, language=language
        ),
        number=number,
        issued_on=today,
        language=language,
        template_name=GRADE_SHEET_TEMPLATE,
        context=context,
        target=target,
        issued_by=actor,
        issuer=context["institution"],
    )


# --- The transcript ---------------------------------------------------------------------------------------


def _form_of_study(value: str, language: str) -> str:
    table = FORM_OF_STUDY_EN if language == "en" else FORM_OF_STUDY[language]
    return table.get(value, value)


def _student_name(student: StudentData, language: str) -> str:
    """The name as the transcript prints it: in Latin letters in English when the record holds them."""
    if language == "en" and student.name_latin:
        return student.name_latin
    return student.full_name


def transcript_context(transcript: Transcript, *, today: date | None = None) -> dict[str, Any]:
    language = transcript.language
    words = TRANSCRIPT_WORDS[language]
    student = transcript.student
    programme = transcript.programme

    def totals(key: str, credits: int, gpa: Decimal | None) -> str:
        return words[key].format(credits=credits, gpa=number_text(gpa, language))

    years = []
    counter = 0
    for year in transcript.years:
        periods = []
        for period in year.periods:
            lines = []
            for line in period.lines:
                counter += 1
                lines.append(
                    {
                        "number": counter,
                        "code": line.code,
                        "name": line.name,
                        "credits": line.credits,
                        "points": number_text(line.points, language),
                        "letter": line.letter,
                        "gpa": number_text(line.gpa, language),
                        "traditional": line.traditional,
                    }
                )
            periods.append(
                {
                    "heading": period_heading(year.title, period.kind, period.number, language),
                    "lines": lines,
                    "total": totals("period_total", period.credits, period.gpa),
                }
            )
        years.append(
            {
                "heading": words["year"].format(title=year.title),
                "periods": periods,
                "total": totals("year_total", year.credits, year.gpa),
            }
        )
    return {
        "w": words,
        "institution": institution_name(language),
        "student": {
            "full_name": _student_name(student, language),
            "programme": (
                f"{programme.code} «{localized(programme, 'name', language)}»" if programme is not None else ""
            ),
            "group": transcript.group.code if transcript.group is not None else "",
            "form": _form_of_study(student.form_of_study, language),
        },
        "years": years,
        "total": totals("total", transcript.credits, transcript.gpa),
        "gpa": number_text(transcript.gpa, language),
        "credits": transcript.credits,
        "issued_on": date_numeric(today or timezone.localdate()),
    }


def transcript_target(student_id: int) -> tuple[str, str]:
    return (TARGET_TRANSCRIPT, str(student_id))


def transcript_title(number: str, language: str) -> str:
    """Public (names nobody): "Транскрипт № 42-3" / "Transcript No. 42-3"."""
    words = TRANSCRIPT_WORDS[language]
    return f"{words['title']} {words['number_sign']} {number}"


def transcript_issue(*, student_id: int, language: str, actor: Any) -> DocumentData:
    """The student's transcript in `language` as a new verifiable document (Http404 for an unknown student,
    ValidationError for a language other than Kazakh, Russian or English)."""
    _check_language(language, TRANSCRIPT_LANGUAGES)
    transcript = transcript_get(student_id=student_id, language=language)
    if transcript is None:
        raise Http404
    today = timezone.localdate()
    context = transcript_context(transcript, today=today)
    target = transcript_target(student_id)
    number = _numbered(target, str(student_id))
    context["number"] = number
    return documents_api.document_issue(
        kind=KIND_TRANSCRIPT,
        title=transcript_title(number, language),
        number=number,
        issued_on=today,
        language=language,
        template_name=TRANSCRIPT_TEMPLATE,
        context=context,
        target=target,
        issued_by=actor,
        issuer=context["institution"],
    )


# --- Who may print and download ----------------------------------------------------------------------------


def access_transcript(*, user: Any, student_id: int) -> StudentData:
    """The student whose transcript `user` may have: their own for a student, anyone's for the administration
    service and the head; else 404."""
    roles = acting_roles(user)
    if not roles:
        raise Http404
    student = records_api.student_get(student_id=student_id)
    if student is None:
        raise Http404
    if roles & SEE_ALL:
        return student
    if Role.STUDENT in roles and student.user_id is not None and student.user_id == user.pk:
        return student
    raise Http404


def can_run_transcript_jobs(*, user: Any) -> bool:
    """Issue transcripts in bulk and download their archives: the administration service."""
    return Role.ADMINISTRATION in acting_roles(user)


def access_transcript_job(*, user: Any, job_id: int) -> TranscriptJob:
    """A bulk transcript job, for the administration service; else 404."""
    if not can_run_transcript_jobs(user=user):
        raise Http404
    job = TranscriptJob.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def can_download_transcript(user: Any, target_id: str) -> bool:
    """An issued transcript: the student it is about, the administration service and the head."""
    if not str(target_id).isdigit():
        return False
    try:
        access_transcript(user=user, student_id=int(target_id))
    except Http404:
        return False
    return True


def can_download_grade_sheet(user: Any, target_id: str) -> bool:
    """An issued grade sheet: whoever may print it now (the course's staff for their groups, the administration
    service, the head); a sheet of every group only to whom sees every group."""
    parts = str(target_id).split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return False
    course_id, group_id = int(parts[0]), int(parts[1])
    try:
        access = access_course_gradebook(user=user, course_id=course_id)
    except Http404:
        return False
    if group_id == 0:
        return access.group_ids is None
    return access.sees_group(group_id) and group_id in access.course.group_ids
