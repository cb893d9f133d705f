"""The three attachments of a DLT order for each student (rule 13, R39, R40) as issued documents: the
student's application to the head, the individual study plan and the individual schedule of the learning
activity. Each is a PDF/UA with a verification QR code (documents.api), in the application's language
(Kazakh or Russian).

The official formulas are in the templates (dlt/templates/dlt/pdf/), one block per language; this module
gathers the data in a fixed number of queries and writes the words that depend on it (categories, DLT types,
kinds of activity, dates). Callers check who may print: these functions issue for whoever they are given.
Batch callers (the order's attachments) load the objects with `applications_for_printing()`,
`study_plans_for_printing()` and `schedules_for_printing()`: objects loaded so are not read again.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from qashyq.accounts.api import Role, acting_roles
from qashyq.core.i18n import localized
from qashyq.dlt.data import Category, DocumentType, EntryKind, PlanStatus
from qashyq.dlt.models import Application, Schedule, ScheduleEntry, StudyPlan, StudyPlanLine, SupportingDocument
from qashyq.dlt.permissions import sees_everything
from qashyq.documents import api as documents_api
from qashyq.documents.api import (
    DLT_TYPE_WORDS,
    FORM_OF_STUDY,
    DocumentData,
    date_from_words,
    date_numeric,
    date_until_words,
    date_words,
    person_name,
)
from qashyq.organization import api as organization_api

APPLICATION_TEMPLATE = "dlt/pdf/application.html"
STUDY_PLAN_TEMPLATE = "dlt/pdf/study_plan.html"
SCHEDULE_TEMPLATE = "dlt/pdf/schedule.html"

KIND_APPLICATION = "dlt_application"
KIND_STUDY_PLAN = "dlt_study_plan"
KIND_SCHEDULE = "dlt_schedule"

TARGET_APPLICATION = "dlt.application"
TARGET_STUDY_PLAN = "dlt.studyplan"
TARGET_SCHEDULE = "dlt.schedule"

LANGUAGES = ("kk", "ru")
# The academic periods of one course year (semesters): totals "per year" add up two periods.
PERIODS_PER_YEAR = 2

# --- Words of the official texts that depend on data (the sentences themselves are in the templates) ----

# The five categories of rule 10, in the rule's own words.
CATEGORY_WORDS: dict[str, dict[str, str]] = {
    "kk": {
        Category.SHORTENED: "техникалық және кәсіптік, орта білімнен кейінгі білім және жоғары білім базасындағы "
        "қысқартылған білім беру бағдарламасы бойынша оқитын білім алушылар",
        Category.DISABILITY: "қозғалыстағы физикалық мүмкіндіктері шектелген адамдар (мүгедектер)",
        Category.EXCHANGE: "«Болашақ» стипендиаттарын қоспағанда, алмасу бағдарламасы бойынша мемлекеттен тысқары "
        "кеткен білім алушылар",
        Category.MILITARY: "сырттай оқу нысаны бойынша оқитын, мерзімді әскери қызметке шақырылғандар",
        Category.BUSINESS_TRIP: "ұзақ мерзімді (4 айдан астам) шетелдік іссапардағы тұлғалар",
    },
    "ru": {
        Category.SHORTENED: "обучающиеся по сокращённым образовательным программам на базе технического и "
        "профессионального, послесреднего и высшего образования",
        Category.DISABILITY: "лица с ограниченными физическими возможностями передвижения (инвалиды)",
        Category.EXCHANGE: "обучающиеся, выехавшие за пределы государства по программе обмена, за исключением "
        "стипендиатов «Болашак»",
        Category.MILITARY: "призванные на срочную воинскую службу, обучающиеся по заочной форме",
        Category.BUSINESS_TRIP: "лица, находящиеся в длительных (свыше 4 месяцев) зарубежных командировках",
    },
}
DOCUMENT_TYPE_WORDS: dict[str, dict[str, str]] = {
    "kk": {
        DocumentType.PRIOR_EDUCATION: "Алдыңғы білімі туралы диплом (ТжКБ, орта білімнен кейінгі немесе жоғары білім)",
        DocumentType.DISABILITY: "Мүгедектік туралы анықтама",
        DocumentType.EXCHANGE: "Алмасу бағдарламасы бойынша келісім немесе шақыру",
        DocumentType.MILITARY: "Мерзімді әскери қызметке шақыру қағазы",
        DocumentType.BUSINESS_TRIP: "Шетелдік іссапарға жіберу туралы бұйрық",
        DocumentType.OTHER: "Өзге құжат",
    },
    "ru": {
        DocumentType.PRIOR_EDUCATION: "Диплом о предшествующем образовании (ТиПО, послесреднее или высшее)",
        DocumentType.DISABILITY: "Справка об инвалидности",
        DocumentType.EXCHANGE: "Соглашение или приглашение по программе обмена",
        DocumentType.MILITARY: "Повестка о призыве на срочную воинскую службу",
        DocumentType.BUSINESS_TRIP: "Приказ о направлении в зарубежную командировку",
        DocumentType.OTHER: "Иной документ",
    },
}
# Cycles and components of a curriculum: the abbreviations of the plan's columns, spelt out in its legend.
CYCLE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "kk": {
        "general": ("ЖБП", "жалпы білім беретін пәндер"),
        "basic": ("БП", "базалық пәндер"),
        "profile": ("КП", "кәсіптендіру пәндері"),
    },
    "ru": {
        "general": ("ООД", "общеобразовательные дисциплины"),
        "basic": ("БД", "базовые дисциплины"),
        "profile": ("ПД", "профилирующие дисциплины"),
    },
}
COMPONENT_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "kk": {
        "compulsory": ("МК", "міндетті компонент"),
        "university": ("ЖООК", "ЖОО компоненті"),
        "elective": ("ТК", "таңдау компоненті"),
    },
    "ru": {
        "compulsory": ("ОК", "обязательный компонент"),
        "university": ("ВК", "вузовский компонент"),
        "elective": ("КВ", "компонент по выбору"),
    },
}
FINAL_CONTROL_WORDS = {
    "kk": {
        "exam": "емтихан",
        "differentiated_credit": "сараланған сынақ",
        "credit": "сынақ",
        "course_work": "курстық жұмысты қорғау",
        "practice_report": "практика туралы есепті қорғау",
    },
    "ru": {
        "exam": "экзамен",
        "differentiated_credit": "дифференцированный зачёт",
        "credit": "зачёт",
        "course_work": "защита курсовой работы",
        "practice_report": "защита отчёта по практике",
    },
}
ENTRY_KIND_WORDS: dict[str, dict[str, str]] = {
    "kk": {
        EntryKind.CONSULTATION: "«On-line» режиміндегі кеңес беру",
        EntryKind.BROADCAST: "ТВ-трансляция",
        EntryKind.ASSIGNMENT: "«Off-line» режиміндегі тапсырма",
        EntryKind.TEST: "Тестілеу",
        EntryKind.MIDTERM_1: "Аралық бақылау 1 (АБ1)",
        EntryKind.MIDTERM_2: "Аралық бақылау 2 (АБ2)",
        EntryKind.CONTROL_MATERIALS: "Бақылау материалдарын тапсыру мерзімі",
        EntryKind.EXAM: "Емтихан",
        EntryKind.COURSE_WORK: "Курстық жұмысты (жобаны) қорғау",
        EntryKind.PRACTICE: "Кәсіптік практика",
    },
    "ru": {
        EntryKind.CONSULTATION: "Консультация в режиме «on-line»",
        EntryKind.BROADCAST: "ТВ-трансляция",
        EntryKind.ASSIGNMENT: "Задание в режиме «off-line»",
        EntryKind.TEST: "Тестирование",
        EntryKind.MIDTERM_1: "Рубежный контроль 1 (РК1)",
        EntryKind.MIDTERM_2: "Рубежный контроль 2 (РК2)",
        EntryKind.CONTROL_MATERIALS: "Срок сдачи контрольных материалов",
        EntryKind.EXAM: "Экзамен",
        EntryKind.COURSE_WORK: "Защита курсовой работы (проекта)",
        EntryKind.PRACTICE: "Профессиональная практика",
    },
}
# How an activity is held: the form of the control (the schedule's mode is a form of final control), or the
# on-line/off-line mode of rule 8; anything else is printed as it is.
MODE_WORDS = {
    language: {**FINAL_CONTROL_WORDS[language], "online": "«on-line»", "offline": "«off-line»"}
    for language in ("kk", "ru")
}


def _zone() -> ZoneInfo:
    """Dates and times of the documents are the institution's (Asia/Almaty), whatever the reader's zone."""
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment, _zone()) if moment else None


def period_words(start: date | None, end: date | None, language: str) -> str:
    """ "2026 жылғы 1 желтоқсаннан бастап 2027 жылғы 30 қарашаға дейін" / "с 1 декабря 2026 года по 30 ноября
    2027 года"; one end alone when the other is not set."""
    parts = [date_from_words(start, language) if start else "", date_until_words(end, language) if end else ""]
    return " ".join(part for part in parts if part)


def period_numeric(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{date_numeric(start)} – {date_numeric(end)}"
    return date_numeric(start or end)


def dlt_types_words(types: Iterable[str], language: str) -> str:
    words = DLT_TYPE_WORDS[language]
    return ", ".join(words.get(value, value) for value in types)


def _abbreviation(table: dict[str, dict[str, tuple[str, str]]], value: str, language: str) -> str:
    found = table[language].get(value)
    return found[0] if found else value


# --- What a document needs, loaded once ------------------------------------------------------------


def applications_for_printing() -> QuerySet[Application]:
    """Applications with everything their document prints (two queries for any number of them)."""
    return Application.objects.select_related("student__programme", "student__group").prefetch_related(
        Prefetch("documents", queryset=SupportingDocument.objects.select_related("file").order_by("created_at", "pk"))
    )


def _plan_lines() -> QuerySet[StudyPlanLine]:
    return StudyPlanLine.objects.select_related("discipline", "teacher", "tutor").order_by(
        "period_number", "discipline__code", "pk"
    )


def study_plans_for_printing() -> QuerySet[StudyPlan]:
    """Plans with their student, approver and lines (two queries for any number of them)."""
    return StudyPlan.objects.select_related(
        "application__student__programme", "application__student__group", "approved_by"
    ).prefetch_related(Prefetch("lines", queryset=_plan_lines()))


def schedules_for_printing() -> QuerySet[Schedule]:
    """Schedules with their student, entries and the plan's lines (DLT type and tutor per discipline):
    three queries for any number of them."""
    return Schedule.objects.select_related(
        "application__student__programme", "application__student__group", "application__study_plan"
    ).prefetch_related(
        Prefetch("entries", queryset=ScheduleEntry.objects.select_related("discipline")),
        Prefetch("application__study_plan__lines", queryset=_plan_lines()),
    )


def _loaded(obj: Model | None, path: str) -> bool:
    """Whether `path` ("a__b__c", through foreign keys, one-to-ones and prefetched reverse relations) is
    already in memory on `obj`: then printing reads nothing again."""
    if obj is None:
        return True
    name, _sep, rest = path.partition("__")
    field: Any = obj._meta.get_field(name)
    if field.one_to_many or field.many_to_many:
        cache = getattr(obj, "_prefetched_objects_cache", {})
        if name not in cache:
            return False
        first = next(iter(cache[name]), None)
        return not rest or _loaded(first, rest)
    if not field.is_cached(obj):
        return False
    return not rest or _loaded(field.get_cached_value(obj), rest)


def _ensure(obj: Any, queryset: QuerySet[Any], paths: Iterable[str]) -> Any:
    if all(_loaded(obj, path) for path in paths):
        return obj
    return queryset.get(pk=obj.pk)


APPLICATION_PATHS = ("student__programme", "student__group", "documents__file")
STUDY_PLAN_PATHS = (
    "application__student__programme",
    "application__student__group",
    "approved_by",
    "lines__discipline",
    "lines__teacher",
    "lines__tutor",
)
SCHEDULE_PATHS = (
    "application__student__programme",
    "application__student__group",
    "application__study_plan__lines__discipline",
    "application__study_plan__lines__tutor",
    "entries__discipline",
)


# --- Parts shared by the three documents -----------------------------------------------------------


@dataclass(frozen=True)
class Institution:
    name: str
    head_name: str


def _institution(language: str) -> Institution:
    """The institution's name in `language` (a placeholder until the profile is filled in) and the head's
    name when the profile holds one."""
    institution = organization_api.institution_get()
    if institution is None:
        placeholder = "Білім беру ұйымы" if language == "kk" else "Организация образования"
        return Institution(name=placeholder, head_name="")
    # The profile has no head's name yet: it is printed once it does (fields head_name_kk/_ru).
    return Institution(
        name=localized(institution, "name", language), head_name=localized(institution, "head_name", language)
    )


def _granted_or_asked(application: Application) -> list[str]:
    return [application.granted_type] if application.granted_type else list(application.dlt_types or [])


def _student(application: Application, language: str) -> dict[str, Any]:
    """The header of every document: who, which programme, group and form, which DLT, on what ground, when."""
    student = application.student
    programme = student.programme
    return {
        "full_name": student.full_name,
        "programme_code": programme.code,
        "programme_name": localized(programme, "name", language),
        "group": student.group.code if student.group else "",
        "course_year": student.course_year,
        "form": FORM_OF_STUDY[language].get(student.form_of_study, student.form_of_study),
        "category": CATEGORY_WORDS[language].get(application.category, application.category),
        "dlt_types": dlt_types_words(_granted_or_asked(application), language),
        "period": period_words(application.starts_on, application.ends_on, language),
        "period_numeric": period_numeric(application.starts_on, application.ends_on),
    }


def _issue(
    *,
    kind: str,
    title: str,
    number: str,
    language: str,
    template_name: str,
    context: dict[str, Any],
    target: tuple[str, str],
    actor: Any,
    institution: Institution,
) -> DocumentData:
    return documents_api.document_issue(
        kind=kind,
        title=title,
        number=number,
        issued_on=timezone.localdate(None, _zone()),
        language=language,
        template_name=template_name,
        context=context,
        target=target,
        issued_by=actor,
        issuer=institution.name,
    )


def _language(application: Application) -> str:
    return application.language if application.language in LANGUAGES else "kk"


# --- 1. The application (rule 11) ------------------------------------------------------------------


def application_document_title(application: Application, language: str) -> str:
    """ "ҚБТ бойынша оқуға өтініш № 12" / "Заявление на обучение по ДОТ № 12": public, names nobody."""
    if language == "kk":
        return f"ҚБТ бойынша оқуға өтініш № {application.pk}"
    return f"Заявление на обучение по ДОТ № {application.pk}"


def _application_context(application: Application, language: str, institution: Institution) -> dict[str, Any]:
    submitted = local_date(application.submitted_at)
    documents = [
        {
            "type": DOCUMENT_TYPE_WORDS[language].get(document.doc_type, document.doc_type),
            "description": document.description,
            "issued_on": date_numeric(document.issued_on),
            "file_name": document.file.original_name,
        }
        for document in application.documents.all()
    ]
    abroad = ""
    if application.abroad_from or application.abroad_until:
        abroad = period_words(application.abroad_from, application.abroad_until, language)
    return {
        "institution": institution,
        "number": application.pk,
        "student": _student(application, language),
        "dlt_types": dlt_types_words(application.dlt_types or [], language),
        "justification": application.justification,
        "host_institution": application.host_institution,
        "host_country": application.host_country,
        "abroad": abroad,
        "documents": documents,
        "submitted": date_words(submitted, language) if submitted else "",
    }


def application_document_issue(*, application: Application, actor: Any) -> DocumentData:
    """The student's application to the head (rule 11) as a PDF in the application's language."""
    application = _ensure(application, applications_for_printing(), APPLICATION_PATHS)
    language = _language(application)
    institution = _institution(language)
    return _issue(
        kind=KIND_APPLICATION,
        title=application_document_title(application, language),
        number=str(application.pk),
        language=language,
        template_name=APPLICATION_TEMPLATE,
        context=_application_context(application, language, institution),
        target=(TARGET_APPLICATION, str(application.pk)),
        actor=actor,
        institution=institution,
    )


# --- 2. The individual study plan (rules 13, 20) ---------------------------------------------------


def study_plan_document_title(plan: StudyPlan, language: str) -> str:
    """ "Жеке оқу жоспары № 12" / "Индивидуальный учебный план № 12" (the application's number)."""
    if language == "kk":
        return f"Жеке оқу жоспары № {plan.application_id}"
    return f"Индивидуальный учебный план № {plan.application_id}"


def _versioned_number(application_id: int, version: int) -> str:
    """The document's number: the application's, and the edition of the plan or schedule ("12/3")."""
    return f"{application_id}/{version}"


def _plan_periods(lines: list[StudyPlanLine], language: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The lines by academic period, each period with its total, and after the last period of a year the
    year's total; and the overall totals (all credits, and those studied by DLT)."""
    periods: list[dict[str, Any]] = []
    for line in lines:
        if not periods or periods[-1]["number"] != line.period_number:
            year = (line.period_number + PERIODS_PER_YEAR - 1) // PERIODS_PER_YEAR
            periods.append({"number": line.period_number, "year": year, "lines": [], "credits": 0, "dlt_credits": 0})
        period = periods[-1]
        period["lines"].append(
            {
                "code": line.discipline.code,
                "name": localized(line.discipline, "name", language),
                "credits": line.credits,
                "cycle": _abbreviation(CYCLE_WORDS, line.cycle, language),
                "component": _abbreviation(COMPONENT_WORDS, line.component, language),
                "final_control": FINAL_CONTROL_WORDS[language].get(line.final_control, line.final_control),
                "dlt_type": DLT_TYPE_WORDS[language].get(line.dlt_type, line.dlt_type),
                "teacher": person_name(line.teacher),
                "tutor": person_name(line.tutor),
                "completed": line.completed,
            }
        )
        period["credits"] += line.credits
        if not line.completed:
            period["dlt_credits"] += line.credits
    for index, period in enumerate(periods):
        following = periods[index + 1] if index + 1 < len(periods) else None
        if following is None or following["year"] != period["year"]:
            same_year = [p for p in periods if p["year"] == period["year"]]
            period["year_total"] = {
                "year": period["year"],
                "credits": sum(p["credits"] for p in same_year),
                "dlt_credits": sum(p["dlt_credits"] for p in same_year),
            }
    totals = {
        "credits": sum(p["credits"] for p in periods),
        "dlt_credits": sum(p["dlt_credits"] for p in periods),
        "disciplines": len(lines),
    }
    return periods, totals


def _legend(lines: list[StudyPlanLine], language: str) -> list[str]:
    """The abbreviations used in the plan, spelt out: "ЖБП – жалпы білім беретін пәндер"."""
    used_cycles = {line.cycle for line in lines}
    used_components = {line.component for line in lines}
    legend = [f"{short} – {long}" for key, (short, long) in CYCLE_WORDS[language].items() if key in used_cycles]
    legend += [
        f"{short} – {long}" for key, (short, long) in COMPONENT_WORDS[language].items() if key in used_components
    ]
    return legend


def _study_plan_context(plan: StudyPlan, language: str, institution: Institution) -> dict[str, Any]:
    application = plan.application
    lines = list(plan.lines.all())
    periods, totals = _plan_periods(lines, language)
    approved = local_date(plan.approved_at)
    return {
        "institution": institution,
        "number": plan.application_id,
        "version": plan.version,
        "student": _student(application, language),
        "periods": periods,
        "totals": totals,
        "legend": _legend(lines, language),
        "approved": plan.status == PlanStatus.APPROVED and approved is not None,
        "approver": person_name(plan.approved_by),
        "approved_on": date_numeric(approved),
    }


def study_plan_document_issue(*, plan: StudyPlan, actor: Any) -> DocumentData:
    """The individual study plan as a PDF in the application's language."""
    plan = _ensure(plan, study_plans_for_printing(), STUDY_PLAN_PATHS)
    language = _language(plan.application)
    institution = _institution(language)
    return _issue(
        kind=KIND_STUDY_PLAN,
        title=study_plan_document_title(plan, language),
        number=_versioned_number(plan.application_id, plan.version),
        language=language,
        template_name=STUDY_PLAN_TEMPLATE,
        context=_study_plan_context(plan, language, institution),
        target=(TARGET_STUDY_PLAN, str(plan.pk)),
        actor=actor,
        institution=institution,
    )


# --- 3. The individual schedule of the learning activity (rule 13) ---------------------------------


def schedule_document_title(schedule: Schedule, language: str) -> str:
    """ "Оқу қызметін ұйымдастырудың жеке кестесі № 12" / "Индивидуальный график организации учебной
    деятельности № 12" (the application's number)."""
    if language == "kk":
        return f"Оқу қызметін ұйымдастырудың жеке кестесі № {schedule.application_id}"
    return f"Индивидуальный график организации учебной деятельности № {schedule.application_id}"


def _time(value: datetime | None) -> str:
    return f"{timezone.localtime(value, _zone()):%H:%M}" if value else ""


def _schedule_groups(entries: list[ScheduleEntry], lines: list[StudyPlanLine], language: str) -> list[dict[str, Any]]:
    """The entries by discipline (in the plan's order, then any other discipline by code, then what belongs to
    no discipline, e.g. practice), each by date and time; with the discipline's DLT type and tutor from the
    plan (its first line still to study where it has lines in several periods)."""
    by_line: dict[int, StudyPlanLine] = {}
    order: dict[int, int] = {}
    for index, plan_line in enumerate(lines):
        order.setdefault(plan_line.discipline_id, index)
        held = by_line.get(plan_line.discipline_id)
        if held is None or (held.completed and not plan_line.completed):
            by_line[plan_line.discipline_id] = plan_line
    groups: dict[int | None, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: (e.starts_on, _time(e.starts_at), e.pk)):
        key = entry.discipline_id
        if key not in groups:
            line = by_line.get(key) if key is not None else None
            discipline = entry.discipline
            if key in order:
                rank: tuple[int, int, str] = (0, order[key], "")
            else:
                rank = (1, 0, discipline.code) if discipline else (2, 0, "")
            groups[key] = {
                "code": discipline.code if discipline else "",
                "name": localized(discipline, "name", language) if discipline else "",
                "dlt_type": DLT_TYPE_WORDS[language].get(line.dlt_type, line.dlt_type) if line else "",
                "tutor": person_name(line.tutor) if line else "",
                "entries": [],
                "rank": rank,
            }
        name = localized(entry, "name", language)
        groups[key]["entries"].append(
            {
                "kind": ENTRY_KIND_WORDS[language].get(entry.kind, entry.kind),
                # A generated entry is named after its discipline: the group's heading says it already.
                "name": "" if name == groups[key]["name"] else name,
                "dates": period_numeric(entry.starts_on, entry.ends_on),
                "time": _time(entry.starts_at),
                "mode": MODE_WORDS[language].get(entry.mode, entry.mode),
                "note": entry.note,
            }
        )
    return sorted(groups.values(), key=lambda group: group["rank"])


def _schedule_context(schedule: Schedule, language: str, institution: Institution) -> dict[str, Any]:
    application = schedule.application
    plan = _study_plan_of(application)
    lines = list(plan.lines.all()) if plan is not None else []
    generated = local_date(schedule.generated_at)
    return {
        "institution": institution,
        "number": schedule.application_id,
        "version": schedule.version,
        "student": _student(application, language),
        "groups": _schedule_groups(list(schedule.entries.all()), lines, language),
        "generated_on": date_numeric(generated),
    }


def _study_plan_of(application: Application) -> StudyPlan | None:
    try:
        return application.study_plan
    except StudyPlan.DoesNotExist:
        return None


def schedule_document_issue(*, schedule: Schedule, actor: Any) -> DocumentData:
    """The individual schedule of the learning activity as a PDF in the application's language."""
    schedule = _ensure(schedule, schedules_for_printing(), SCHEDULE_PATHS)
    language = _language(schedule.application)
    institution = _institution(language)
    return _issue(
        kind=KIND_SCHEDULE,
        title=schedule_document_title(schedule, language),
        number=_versioned_number(schedule.application_id, schedule.version),
        language=language,
        template_name=SCHEDULE_TEMPLATE,
        context=_schedule_context(schedule, language, institution),
        target=(TARGET_SCHEDULE, str(schedule.pk)),
        actor=actor,
        institution=institution,
    )


# --- 4. The document as it stands, or a new one ----------------------------------------------------


def _current(target: tuple[str, str], *, language: str, number: str, changed_at: datetime) -> DocumentData | None:
    """The latest document of `target` in `language` with `number`, if it was issued after `changed_at`."""
    candidates = [
        d for d in documents_api.documents_for(target=target) if d.language == language and d.number == number
    ]
    if not candidates:
        return None
    latest = candidates[-1]
    return latest if latest.issued_at is not None and latest.issued_at >= changed_at else None


def application_document_current(*, application: Application, actor: Any) -> DocumentData:
    """The application's document issued after its last change, else a new one."""
    current = _current(
        (TARGET_APPLICATION, str(application.pk)),
        language=_language(application),
        number=str(application.pk),
        changed_at=application.updated_at,
    )
    return current or application_document_issue(application=application, actor=actor)


def study_plan_document_current(*, plan: StudyPlan, actor: Any) -> DocumentData:
    """The plan's document of its present version, issued after its last change, else a new one."""
    current = _current(
        (TARGET_STUDY_PLAN, str(plan.pk)),
        language=_language(plan.application),
        number=_versioned_number(plan.application_id, plan.version),
        changed_at=plan.updated_at,
    )
    return current or study_plan_document_issue(plan=plan, actor=actor)


def schedule_document_current(*, schedule: Schedule, actor: Any) -> DocumentData:
    """The schedule's document of its present version, issued after its last change, else a new one."""
    current = _current(
        (TARGET_SCHEDULE, str(schedule.pk)),
        language=_language(schedule.application),
        number=_versioned_number(schedule.application_id, schedule.version),
        changed_at=schedule.updated_at,
    )
    return current or schedule_document_issue(schedule=schedule, actor=actor)


# --- 5. Who may download (registered with documents in registration.py) -----------------------------

TEACHING_ROLES = frozenset({Role.TEACHER, Role.TUTOR})


def _target_pk(target_id: str) -> int | None:
    text = str(target_id)
    return int(text) if text.isdigit() else None


def can_download_application_document(user: Any, target_id: str) -> bool:
    """The application's PDF: the student it belongs to, the administration service and the head."""
    pk = _target_pk(target_id)
    roles = acting_roles(user)
    if pk is None or not roles:
        return False
    if sees_everything(user):
        return True
    return Application.objects.filter(pk=pk, student__user_id=user.pk).exists()


def _reader(user: Any, model: type[Model], pk: int, *, lines: str) -> bool:
    """The student the plan or schedule belongs to, or a teacher or tutor (acting as one) named on a line of
    the plan (`lines`: the path from `model` to the plan's lines). One query."""
    own = Q(application__student__user_id=user.pk)
    if acting_roles(user) & TEACHING_ROLES:
        own |= Q(**{f"{lines}__teacher_id": user.pk}) | Q(**{f"{lines}__tutor_id": user.pk})
    return model._default_manager.filter(Q(pk=pk) & own).exists()


def can_download_plan_document(user: Any, target_id: str) -> bool:
    """The plan's PDF: its student, the administration service, the head, and the teachers and tutors named
    on its lines."""
    pk = _target_pk(target_id)
    if pk is None or not acting_roles(user):
        return False
    return sees_everything(user) or _reader(user, StudyPlan, pk, lines="lines")


def can_download_schedule_document(user: Any, target_id: str) -> bool:
    """The schedule's PDF: its student, the administration service, the head, and the teachers and tutors
    named on the lines of the same application's plan."""
    pk = _target_pk(target_id)
    if pk is None or not acting_roles(user):
        return False
    return sees_everything(user) or _reader(user, Schedule, pk, lines="application__study_plan__lines")
