"""Learning content of the demo institution (issue 4), built through the content services as if people had
clicked through it, so every step is checked and audited:

- one course per discipline of the first semester that a demo teacher teaches (7 courses), for the groups
  whose curriculum holds it, with its teachers and tutors (tutors limited to their groups) and the students
  of those groups enrolled;
- in each course: "About the course" (syllabus, glossary, reading list) and two topics (a lecture, a practical
  class, an external reading, the independent-work task, two midterm-control placeholders), all published,
  in Kazakh with Russian and English titles; availability dates follow the academic calendar and the second
  lecture opens after the first is marked done; "Introduction to Computer Science" also holds a video lecture
  with Kazakh and Russian captions and a transcript, and a SCORM 1.2 self-check (qashyq/demo/media/);
- the didactic-means service's catalogue: five resources (one with a PDF) and, for the disciplines of later
  semesters, one collection per e-UMK component;
- e-UMKs for 2026–2027: approved for every discipline of 6B01101 (one after a return with a comment);
  in 6B06101 "Artificial Intelligence" has none and "Calculus" waits for review, so the coverage report shows
  what is missing;
- four TV broadcasts around today (two past, one with its recording linked), and some progress of the
  students with accounts (viewed, completed, a SCORM score).

Idempotent: each part is made only when missing (a course by its code, its content when it has no section,
broadcasts when the course has none, resources by title, e-UMKs by discipline and year, progress by upsert).
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qashyq.academics.data import TeachingRole
from qashyq.academics.models import AcademicPeriod, AcademicYear, Discipline, StudyGroup, TeachingAssignment
from qashyq.content.data import (
    Activity,
    CompletionRule,
    ItemKind,
    ProgressStatus,
    ResourceKind,
    ResourceMedia,
    ResourceOrigin,
    ResourceStatus,
    TrackKind,
)
from qashyq.content.models import (
    Broadcast,
    Course,
    DidacticResource,
    Enrolment,
    Eumk,
    EumkComponentType,
    Item,
    ItemProgress,
)
from qashyq.content.services import broadcasts as broadcast_services
from qashyq.content.services import catalogue as catalogue_services
from qashyq.content.services import courses as course_services
from qashyq.content.services import eumk as eumk_services
from qashyq.content.services import items as item_services
from qashyq.content.services.progress import progress_record
from qashyq.demo import content_texts as texts
from qashyq.demo.institution import YEAR_TITLE

MEDIA = Path(__file__).resolve().parent / "media"
ZONE = ZoneInfo(settings.TIME_ZONE)
COURSE_CODE_SUFFIX = "-2026-1"
VIDEO_COURSE = "IK 1120"  # the course with the video lecture and the SCORM package
MISSING_EUMK = "ZhI 4250"  # 6B06101 "Artificial Intelligence": no e-UMK at all
UNDER_REVIEW_EUMK = "MT 1121"  # 6B06101 "Calculus": submitted, waiting for the didactic-means service
RETURNED_ONCE_EUMK = "PK 1160"  # returned with a comment, completed, approved
USERNAMES = ("admin1", "didactics1", "didactics2")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


# Availability windows, from the academic calendar of 2026–2027 (classes from 1 September, midterm controls
# 19–24 October and 14–19 December).
PRACTICAL_WINDOW = (_at(date(2026, 9, 14), 9), _at(date(2026, 10, 4), 23, 59))
MIDTERM_1_WINDOW = (_at(date(2026, 10, 19), 9), _at(date(2026, 10, 24), 18))
INDEPENDENT_WINDOW = (_at(date(2026, 11, 16), 9), _at(date(2026, 12, 13), 23, 59))
MIDTERM_2_WINDOW = (_at(date(2026, 12, 14), 9), _at(date(2026, 12, 19), 18))


# --- Courses -----------------------------------------------------------------------------------------------


def _course_code(discipline_code: str) -> str:
    return discipline_code.replace(" ", "") + COURSE_CODE_SUFFIX


def _courses(admin: Any, period: AcademicPeriod) -> dict[str, Course]:
    """A course per discipline of the first semester with a teacher, keyed by the discipline's code."""
    wanted = [text.discipline for text in texts.COURSE_TEXTS]
    disciplines = {d.code: d for d in Discipline.objects.filter(code__in=wanted)}
    existing = {c.code: c for c in Course.objects.filter(code__in=[_course_code(code) for code in wanted])}
    assignments = list(
        TeachingAssignment.objects.filter(discipline__code__in=wanted).select_related("discipline", "user")
    )
    courses: dict[str, Course] = {}
    for code in wanted:
        discipline = disciplines.get(code)
        if discipline is None:
            continue
        course = existing.get(_course_code(code))
        if course is None:
            group_ids = sorted(
                StudyGroup.objects.filter(
                    programme__curriculum__discipline=discipline,
                    programme__curriculum__period_number=period.number,
                )
                .values_list("pk", flat=True)
                .distinct()
            )
            mine = [a for a in assignments if a.discipline_id == discipline.pk]
            teachers = sorted({a.user_id for a in mine if a.role == TeachingRole.TEACHER})
            tutors = sorted({a.user_id for a in mine if a.role == TeachingRole.TUTOR})
            if not teachers:
                continue
            limits: dict[int, set[int]] = {}
            for a in mine:
                if a.role == TeachingRole.TUTOR and a.group_id in group_ids:
                    limits.setdefault(a.user_id, set()).add(a.group_id)
            text = next(t for t in texts.COURSE_TEXTS if t.discipline == code)
            course = course_services.course_create(
                actor=admin,
                discipline_id=discipline.pk,
                period_id=period.pk,
                code=_course_code(code),
                group_ids=group_ids,
                description_kk=text.goal,
                description_ru=f"Курс дисциплины «{discipline.name_ru}» для групп первого семестра.",
                description_en=f"The course of “{discipline.name_en}” for the first-semester groups.",
            )
            course_services.course_staff_set(
                actor=admin,
                course=course,
                teacher_ids=teachers,
                tutor_ids=tutors,
                tutor_groups={user_id: sorted(groups) for user_id, groups in limits.items()},
            )
        course_services.course_enrol_groups(actor=admin, course=course)
        courses[code] = course
    return courses


def _teacher_of(course: Course) -> Any:
    staff = course.staff.filter(role="teacher").select_related("user").order_by("user__username").first()
    return staff.user if staff is not None else None


# --- What a course holds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    key: str
    section: int
    kind: str
    title: texts.Title
    activity: str
    minutes: int
    body: str = ""
    completion: str = CompletionRule.VIEW
    url: str = ""
    window: tuple[datetime, datetime] | None = None
    prerequisite: str = ""


def _numbered(title: texts.Title, number: int, topic: texts.Title) -> texts.Title:
    return texts.Title(
        f"{number}-{title.kk.lower()}: {topic.kk}",
        f"{title.ru} {number}. {topic.ru}",
        f"{title.en} {number}: {topic.en}",
    )


def _syllabus(text: texts.CourseText, discipline: Discipline, teachers: str) -> str:
    outcomes = "".join(f"<li>{line}</li>" for line in text.outcomes)
    topics = "".join(
        f"<tr><td>{weeks}</td><td>{topic.title.kk}</td><td>{hours}</td></tr>"
        for weeks, topic, hours in (("1–7", text.topics[0], 30), ("8–15", text.topics[1], 30))
    )
    return (
        f"<h2>{discipline.code} {discipline.name_kk}</h2>"
        f"<p><strong>Кредит саны:</strong> {discipline.credits} ECTS. <strong>Оқытушы:</strong> {teachers}.</p>"
        f"<h3>Курстың мақсаты</h3><p>{text.goal}</p>"
        f"<h3>Оқу нәтижелері</h3><p>Курсты аяқтаған білім алушы:</p><ul>{outcomes}</ul>"
        "<h3>Курстың мазмұны</h3><table><caption>Тақырыптар мен апталар</caption><thead><tr>"
        '<th scope="col">Апта</th><th scope="col">Тақырып</th><th scope="col">Сағат</th></tr></thead>'
        f"<tbody>{topics}</tbody></table>"
        "<h3>Бағалау саясаты</h3><p>Жіберу рейтингі – 1- және 2-аралық бақылаудың орташасы (РК1: 19–24 "
        "қазан, РК2: 14–19 желтоқсан). Қорытынды баға: 0,6 × жіберу рейтингі + 0,4 × емтихан. Емтиханға "
        "жіберу рейтингі кемінде 50 балл болғанда жіберіледі.</p>"
        "<h3>Академиялық адалдық</h3><p>Жұмыстарды өз бетіңізбен орындаңыз; пайдаланылған дереккөздерге "
        "сілтеме беріңіз.</p>"
    )


def _glossary(text: texts.CourseText) -> str:
    rows = "".join(f'<tr><th scope="row">{term}</th><td>{meaning}</td></tr>' for term, meaning in text.glossary)
    return (
        "<table><caption>Курстың негізгі терминдері</caption><thead><tr>"
        '<th scope="col">Термин</th><th scope="col">Анықтамасы</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _literature(text: texts.CourseText) -> str:
    items = "".join(f"<li>{entry}</li>" for entry in text.literature)
    return (
        f"<h2>Негізгі әдебиет</h2><ol>{items}</ol>"
        "<p>Электрондық нұсқалары университет кітапханасының каталогында және дидактикалық құралдар "
        "каталогында берілген.</p>"
    )


def _plan(text: texts.CourseText, discipline: Discipline, teachers: str) -> list[Planned]:
    first, second = text.topics
    with_media = text.discipline == VIDEO_COURSE
    plan = [
        Planned(
            "syllabus",
            0,
            ItemKind.PAGE,
            texts.SYLLABUS,
            Activity.INDEPENDENT,
            15,
            _syllabus(text, discipline, teachers),
        ),
        Planned("glossary", 0, ItemKind.PAGE, texts.GLOSSARY, Activity.INDEPENDENT, 10, _glossary(text)),
        Planned("literature", 0, ItemKind.PAGE, texts.LITERATURE, Activity.INDEPENDENT, 5, _literature(text)),
        Planned(
            "lecture1",
            1,
            ItemKind.PAGE,
            _numbered(texts.LECTURE, 1, first.title),
            Activity.INTERACTION,
            90,
            first.lecture,
            completion=CompletionRule.MANUAL,
        ),
    ]
    if with_media:
        plan.append(
            Planned(
                "video",
                1,
                ItemKind.VIDEO,
                texts.VIDEO,
                Activity.INTERACTION,
                8,
                "Ақпарат бірліктері туралы қысқа бейнедәріс (қазақша және орысша субтитрлер).",
            )
        )
    plan += [
        Planned("practical", 1, ItemKind.PAGE, _numbered(texts.PRACTICAL, 1, first.title), Activity.INTERACTION,
                90, text.practical, completion=CompletionRule.MANUAL, window=PRACTICAL_WINDOW),
        Planned("midterm1", 1, ItemKind.TEST, texts.MIDTERM_1, Activity.INTERACTION, 40,
                "1-тақырып бойынша 20 тест сұрағы, 40 минут.", window=MIDTERM_1_WINDOW),
        Planned("lecture2", 2, ItemKind.PAGE, _numbered(texts.LECTURE, 2, second.title), Activity.INTERACTION,
                90, second.lecture, completion=CompletionRule.MANUAL, prerequisite="lecture1"),
        Planned("reading", 2, ItemKind.LINK, texts.Title(*(f"{texts.READING.kk}: {text.link[0].kk}",
                f"{texts.READING.ru}: {text.link[0].ru}", f"{texts.READING.en}: {text.link[0].en}")),
                Activity.INDEPENDENT, 20, "Тақырып бойынша қосымша оқуға арналған мақала.", url=text.link[1]),
    ]  # fmt: skip
    if with_media:
        plan.append(Planned("scorm", 2, ItemKind.SCORM, texts.SCORM, Activity.INDEPENDENT, 15,
                            "Үш сұрақтан тұратын өзін-өзі тексеру; өту шегі – 70 ұпай.",
                            completion=CompletionRule.SCORM))  # fmt: skip
    plan += [
        Planned("independent", 2, ItemKind.PAGE, texts.INDEPENDENT, Activity.INDEPENDENT, 180, text.independent,
                completion=CompletionRule.MANUAL, window=INDEPENDENT_WINDOW),
        Planned("midterm2", 2, ItemKind.TEST, texts.MIDTERM_2, Activity.INTERACTION, 40,
                "2-тақырып бойынша 20 тест сұрағы, 40 минут.", window=MIDTERM_2_WINDOW),
    ]  # fmt: skip
    return plan


def _media_upload(name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (MEDIA / name).read_bytes(), content_type=content_type)


def scorm_package_bytes() -> bytes:
    """The demo's SCORM 1.2 self-check (qashyq/demo/media/scorm12/) as a .zip."""
    root = MEDIA / "scorm12"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.iterdir()):
            if path.is_file():
                archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def _course_content(course: Course, text: texts.CourseText, teacher: Any) -> dict[str, Item]:
    """The course's sections and published items (made when it has no section yet), keyed as planned."""
    discipline = course.discipline
    teachers = ", ".join(
        s.user.full_name for s in course.staff.filter(role="teacher").select_related("user").order_by("pk")
    )
    plan = _plan(text, discipline, teachers)
    if course.sections.exists():
        by_name = {item.name_kk: item for item in Item.objects.filter(course=course)}
        return {p.key: by_name[p.title.kk] for p in plan if p.title.kk in by_name}

    first, second = text.topics
    sections = [
        item_services.section_create(
            actor=teacher, course=course, name_kk=texts.ABOUT.kk, name_ru=texts.ABOUT.ru, name_en=texts.ABOUT.en,
            summary_kk="Силлабус, глоссарий және әдебиеттер тізімі.",
        ),
        *(
            item_services.section_create(
                actor=teacher, course=course, name_kk=f"{n}-тақырып. {topic.title.kk}",
                name_ru=f"Тема {n}. {topic.title.ru}", name_en=f"Topic {n}. {topic.title.en}",
            )
            for n, topic in ((1, first), (2, second))
        ),
    ]  # fmt: skip
    made: dict[str, Item] = {}
    for planned in plan:
        extra: dict[str, Any] = {}
        if planned.kind == ItemKind.VIDEO:
            extra["upload"] = _media_upload("clip.webm", "video/webm")
        elif planned.kind == ItemKind.SCORM:
            extra["package"] = SimpleUploadedFile(
                "algorithms-self-check.zip", scorm_package_bytes(), content_type="application/zip"
            )
        item = item_services.item_create(
            actor=teacher,
            section=sections[planned.section],
            kind=planned.kind,
            name_kk=planned.title.kk,
            name_ru=planned.title.ru,
            name_en=planned.title.en,
            activity=planned.activity,
            completion=planned.completion,
            minutes=planned.minutes,
            body=planned.body,
            url=planned.url,
            available_from=planned.window[0] if planned.window else None,
            available_until=planned.window[1] if planned.window else None,
            prerequisite_id=made[planned.prerequisite].pk if planned.prerequisite else None,
            **extra,
        )
        if planned.kind == ItemKind.VIDEO:
            for language in ("kk", "ru"):
                item_services.item_track_add(
                    actor=teacher,
                    item=item,
                    language=language,
                    kind=TrackKind.CAPTIONS,
                    upload=_media_upload(f"clip.{language}.vtt", "text/vtt"),
                )
            transcript = SimpleUploadedFile(
                "transcript.txt", texts.VIDEO_TRANSCRIPT.encode(), content_type="text/plain"
            )
            item_services.item_transcript_set(actor=teacher, item=item, upload=transcript)
        item_services.item_publish(actor=teacher, item=item)
        made[planned.key] = item
    return made


# --- The catalogue -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceRow:
    title: texts.Title
    kind: str
    origin: str
    media: str
    status: str
    disciplines: tuple[str, ...]
    authors: str = ""
    year: int | None = None
    description: str = ""
    file: str = ""


RESOURCES: tuple[ResourceRow, ...] = (
    ResourceRow(texts.Title("Информатикаға кіріспе: электрондық оқулық", "Введение в информатику: электронный учебник",
                            "Introduction to Computer Science: an e-textbook"),
                ResourceKind.E_TEXTBOOK, ResourceOrigin.DEVELOPED, ResourceMedia.NETWORK, ResourceStatus.IN_USE,
                ("IK 1120",), "Ахметов Б.Ғ., Кузнецов А.И.", 2025,
                "Ақпарат, санау жүйелері және алгоритмдер бойынша электрондық оқулық (үзінді).",
                "informatics-textbook.pdf"),
    ResourceRow(texts.Title("Математикалық талдау: бейнедәрістер курсы", "Математический анализ: курс видеолекций",
                            "Calculus: a course of video lectures"),
                ResourceKind.MULTIMEDIA_COURSE, ResourceOrigin.ACQUIRED, ResourceMedia.DVD, ResourceStatus.IN_USE,
                ("MT 1121",), year=2023, description="24 бейнедәріс, DVD (2 диск), орыс тілінде."),
    ResourceRow(texts.Title("Педагогикалық мамандыққа кіріспе: әдістемелік нұсқау",
                            "Введение в педагогическую профессию: методические указания",
                            "Introduction to the Teaching Profession: methodological guidelines"),
                ResourceKind.METHODOLOGICAL_AID, ResourceOrigin.DEVELOPED, ResourceMedia.LOCAL,
                ResourceStatus.IN_DEVELOPMENT, ("PK 1160",), "Байтұрсынова С.Қ.", 2026,
                "Практикалық сабақтар мен БӨЖ-ге әдістемелік нұсқау (әзірленуде)."),
    ResourceRow(texts.Title("Жалпы білім беретін пәндер бойынша тест тапсырмаларының банкі",
                            "Банк тестовых заданий по общеобразовательным дисциплинам",
                            "Test bank for the general education disciplines"),
                ResourceKind.CONTROL_MATERIALS, ResourceOrigin.DEVELOPED, ResourceMedia.LOCAL, ResourceStatus.IN_USE,
                ("KRT 1103", "AKT 1107", "ASBM 1108"), "Оспанов Д.А., Морозова О.П.", 2026,
                "Аралық бақылау мен емтиханға арналған 600 тест тапсырмасы."),
    ResourceRow(texts.Title("Қазақ тілі: интерактивті практикум", "Казахский язык: интерактивный практикум",
                            "Kazakh Language: an interactive practicum"),
                ResourceKind.MULTIMEDIA_COURSE, ResourceOrigin.ACQUIRED, ResourceMedia.CD, ResourceStatus.IN_USE,
                ("KRT 1103",), year=2022, description="Фонетика мен грамматика бойынша жаттығулар, CD."),
)  # fmt: skip

COLLECTION_KINDS = {"lectures": ResourceKind.E_TEXTBOOK, "control": ResourceKind.CONTROL_MATERIALS}


def _resources(didactics: Any, programme_discipline_ids: list[int]) -> dict[str, DidacticResource]:
    """The catalogue entries, and one collection per required e-UMK component (keyed by its code) covering the
    disciplines of both programmes."""
    codes = {code for row in RESOURCES for code in row.disciplines}
    disciplines = dict(Discipline.objects.filter(code__in=codes).values_list("code", "pk"))
    existing = {r.name_kk: r for r in DidacticResource.objects.all()}
    for row in RESOURCES:
        if row.title.kk in existing:
            continue
        upload = _media_upload(row.file, "application/pdf") if row.file else None
        existing[row.title.kk] = catalogue_services.resource_create(
            actor=didactics,
            name_kk=row.title.kk,
            name_ru=row.title.ru,
            name_en=row.title.en,
            kind=row.kind,
            origin=row.origin,
            media=row.media,
            status=row.status,
            discipline_ids=[disciplines[code] for code in row.disciplines if code in disciplines],
            authors=row.authors,
            year=row.year,
            description=row.description,
            upload=upload,
        )
    collections: dict[str, DidacticResource] = {}
    for component in EumkComponentType.objects.filter(active=True, required=True).order_by("position", "pk"):
        name_kk = f"{component.name_kk}: 6B01101 және 6B06101 бағдарламалары пәндерінің жинағы ({YEAR_TITLE})"
        resource = existing.get(name_kk)
        if resource is None:
            resource = catalogue_services.resource_create(
                actor=didactics,
                name_kk=name_kk,
                name_ru=f"{component.name_ru}: сборник по дисциплинам программ 6B01101 и 6B06101 ({YEAR_TITLE})",
                name_en=f"{component.name_en}: collection for the disciplines of 6B01101 and 6B06101 ({YEAR_TITLE})",
                kind=COLLECTION_KINDS.get(component.code, ResourceKind.METHODOLOGICAL_AID),
                origin=ResourceOrigin.DEVELOPED,
                media=ResourceMedia.LOCAL,
                status=ResourceStatus.IN_USE,
                discipline_ids=programme_discipline_ids,
                authors="Қашықтықтан оқыту орталығы",
                year=2026,
                description="Кафедралар дайындаған материалдар жинағы, университеттің жергілікті серверінде.",
            )
        collections[component.code] = resource
    return collections


# --- e-UMK -----------------------------------------------------------------------------------------------------

# The items of a demo course that fill each default component.
COMPONENT_ITEMS = {
    "syllabus": ("syllabus",),
    "lectures": ("lecture1", "lecture2", "video"),
    "practical": ("practical",),
    "independent": ("independent",),
    "control": ("midterm1", "midterm2", "scorm"),
    "glossary": ("glossary",),
    "literature": ("literature",),
}


def _eumks(
    *,
    year: AcademicYear,
    disciplines: list[Discipline],
    course_items: dict[str, dict[str, Item]],
    teachers: dict[str, Any],
    collections: dict[str, DidacticResource],
    builder: Any,
    reviewer: Any,
) -> None:
    present = set(Eumk.objects.filter(year=year).values_list("discipline_id", flat=True))
    components = list(EumkComponentType.objects.filter(active=True, required=True).order_by("position", "pk"))
    for discipline in disciplines:
        if discipline.code == MISSING_EUMK or discipline.pk in present:
            continue
        items = course_items.get(discipline.code, {})
        author = teachers.get(discipline.code) or builder
        eumk = eumk_services.eumk_create(actor=author, discipline_id=discipline.pk, year_id=year.pk)
        for component in components:
            linked = [items[key] for key in COMPONENT_ITEMS.get(component.code, ()) if key in items]
            if linked and component.code == "glossary" and discipline.code == RETURNED_ONCE_EUMK:
                linked = []  # filled after the review returns it
            for item in linked:
                eumk_services.eumk_link_add(actor=author, eumk=eumk, component_id=component.pk, item_id=item.pk)
            if not linked:
                eumk_services.eumk_link_add(
                    actor=author, eumk=eumk, component_id=component.pk, resource_id=collections[component.code].pk
                )
        comment = "Барлық компоненттер толтырылды." if items else ""
        eumk_services.eumk_submit(actor=author, eumk=eumk, comment=comment)
        if discipline.code == UNDER_REVIEW_EUMK:
            continue
        if discipline.code == RETURNED_ONCE_EUMK:
            eumk_services.eumk_return(
                actor=reviewer,
                eumk=eumk,
                comment="Глоссарий ретінде курстың өз глоссарийін байланыстырыңыз: жалпы жинақ жеткіліксіз.",
            )
            glossary = next(c for c in components if c.code == "glossary")
            link = eumk.links.get(component=glossary)
            eumk_services.eumk_link_remove(actor=author, link=link)
            eumk_services.eumk_link_add(actor=author, eumk=eumk, component_id=glossary.pk, item_id=items["glossary"].pk)
            eumk_services.eumk_submit(actor=author, eumk=eumk, comment="Курстың глоссарийі қосылды.")
        eumk_services.eumk_approve(actor=reviewer, eumk=eumk, comment="Мақұлданды.")


# --- TV broadcasts ---------------------------------------------------------------------------------------------


def _broadcasts(admin: Any, courses: dict[str, Course], course_items: dict[str, dict[str, Item]]) -> None:
    """Around today: the video course's past broadcast with its recording linked by its teacher, and others."""
    today = timezone.localtime(timezone.now(), ZONE).date()
    plan = (
        ("IK 1120", -3, 10, "El Arna", texts.Title("Ақпарат бірліктері", "Единицы информации",
                                                   "Units of information"), True),
        ("PK 1160", -8, 15, "Qazaqstan", texts.Title("Педагог мамандығы", "Профессия педагога",
                                                     "The teaching profession"), False),
        ("IK 1120", 2, 10, "El Arna", texts.Title("Алгоритмдер", "Алгоритмы", "Algorithms"), False),
        ("MT 1121", 6, 15, "El Arna", texts.Title("Туынды", "Производная", "The derivative"), False),
    )  # fmt: skip
    done = set(Broadcast.objects.filter(course__in=courses.values()).values_list("course_id", flat=True))
    for code, days, hour, channel, topic, recorded in plan:
        course = courses.get(code)
        if course is None or course.pk in done:
            continue
        broadcast = broadcast_services.broadcast_create(
            actor=admin,
            course_id=course.pk,
            channel=channel,
            starts_at=_at(today + timedelta(days=days), hour),
            duration_minutes=45,
            name_kk=topic.kk,
            name_ru=topic.ru,
            name_en=topic.en,
        )
        video = course_items.get(code, {}).get("video")
        teacher = _teacher_of(course)
        if recorded and video is not None and teacher is not None:
            broadcast_services.broadcast_update(
                actor=teacher,
                broadcast=broadcast,
                channel=broadcast.channel,
                starts_at=broadcast.starts_at,
                duration_minutes=broadcast.duration_minutes,
                name_kk=broadcast.name_kk,
                name_ru=broadcast.name_ru,
                name_en=broadcast.name_en,
                recording_item_id=video.pk,
            )


# --- Progress --------------------------------------------------------------------------------------------------

PROGRESS_ORDER = ("syllabus", "glossary", "literature", "lecture1", "video", "practical", "lecture2", "reading",
                  "scorm", "independent")  # fmt: skip
DONE_PATTERN = (3, 6, 8, 10, 2, 0, 5, 7, 4, 9)  # how far the k-th student with an account has got


def _progress(course: Course, items: dict[str, Item]) -> None:
    """The first students with an account (by username) have got as far as DONE_PATTERN says; made once."""
    if ItemProgress.objects.filter(item__course=course).exists():
        return
    ordered = [items[key] for key in PROGRESS_ORDER if key in items]
    enrolments = (
        Enrolment.objects.filter(course=course, active=True, student__user__isnull=False)
        .select_related("student__user")
        .order_by("student__user__username")[: len(DONE_PATTERN)]
    )
    for k, enrolment in enumerate(enrolments):
        done = min(DONE_PATTERN[k], len(ordered))
        for item in ordered[:done]:
            score = Decimal(70 + (k * 7) % 31) if item.kind == ItemKind.SCORM else None
            progress_record(enrolment=enrolment, item=item, status=ProgressStatus.COMPLETED, score=score)
        if 0 < done < len(ordered):
            progress_record(enrolment=enrolment, item=ordered[done], status=ProgressStatus.VIEWED)


# --- All of it -----------------------------------------------------------------------------------------------


def content_seed() -> None:
    """Build whatever part of the demo's learning content is missing (the institution must exist already)."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    year = AcademicYear.objects.filter(title=YEAR_TITLE).first()
    period = AcademicPeriod.objects.filter(year=year, number=1).first() if year else None
    if year is None or period is None or set(users) != set(USERNAMES):
        return
    courses = _courses(users["admin1"], period)
    course_items: dict[str, dict[str, Item]] = {}
    teachers: dict[str, Any] = {}
    for text in texts.COURSE_TEXTS:
        course = courses.get(text.discipline)
        teacher = _teacher_of(course) if course is not None else None
        if course is None or teacher is None:
            continue
        teachers[text.discipline] = teacher
        course_items[text.discipline] = _course_content(course, text, teacher)
    disciplines = list(
        Discipline.objects.filter(curriculum_entries__programme__code__in=("6B01101", "6B06101"))
        .distinct()
        .order_by("code")
    )
    collections = _resources(users["didactics1"], [d.pk for d in disciplines])
    _eumks(
        year=year,
        disciplines=disciplines,
        course_items=course_items,
        teachers=teachers,
        collections=collections,
        builder=users["didactics2"],
        reviewer=users["didactics1"],
    )
    _broadcasts(users["admin1"], courses, course_items)
    for code, course in courses.items():
        if code in course_items:
            _progress(course, course_items[code])
