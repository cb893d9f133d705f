"""DLT enrolment of the demo institution (issue 5), built through the dlt services as the people would click it,
so every step is checked, audited and notified:

- 19 students write applications to the head in each of the five categories of rule 10, in Kazakh or in
  Russian, with a reasoned justification and a supporting PDF (a small real PDF made here), and submit them;
  the administration service (admin1 for the Kazakh groups, admin2 for the Russian ones) takes them up and
  returns, rejects or accepts them. Every state of an application is there: draft, submitted, under review,
  returned with a comment, rejected with a reason, accepted (with its individual study plan and schedule), in an
  order, enrolled;
- the three refusals of the issue, each with the reason the administration service writes: a Bolashak scholar
  asking for the exchange category (the registrar's office recorded the scholarship after the application was
  submitted) and a business trip that the employer's order attached gives as 3 months (the application said
  5); the third, a full-time student asking for the military category, is a draft that the system refuses to
  submit (rule 10 covers correspondence students only: the student sees why on the application's page);
- one signed DLT order in force (admin1 drafts it, the attachments are issued by the background job's
  services, the head signs it): three students of 6B01101 (shortened programme, disability, military service),
  their plans approved after admin1 named a teacher and a tutor for every discipline, their three attachments
  (application, plan, schedule) issued in the application's language, and the students enrolled in their plans'
  courses;
- one draft DLT order that cannot be signed: its student (6B06101, exchange) is ready in every other respect,
  but "Artificial Intelligence" (ZhI 4250) has no e-UMK and "Calculus" (MT 1121) waits for review
  (qashyq/demo/content.py), so its sign page names both.

The facts the categories rest on are set on the student records directly (records has no service for them):
disabilities and the Bolashak scholarship. 6B01101 is the programme shortened on the basis of
TVET (qashyq/demo/curricula.py) and its groups study by correspondence.

Idempotent: a student who already has an application is left as they are, and an order is made only for the
accepted applications of its students that are in no order yet. Nothing is made without the learning content
(the e-UMKs of 6B01101) or the institution's permission to use DLT.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qashyq.academics import api as academics_api
from qashyq.academics.models import CurriculumEntry
from qashyq.content import api as content_api
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType, JobStatus, PlanStatus
from qashyq.dlt.models import Application, AttachmentJob, Enrolment, StudyPlan
from qashyq.dlt.rules import CATEGORY_DOCUMENT
from qashyq.dlt.services import applications as application_services
from qashyq.dlt.services import orders as order_services
from qashyq.dlt.services import plans as plan_services
from qashyq.organization import api as organization_api
from qashyq.records.models import Student

S = ApplicationStatus

# The order of the steps an application takes to its state (rule 11).
REVIEWED = (S.RETURNED, S.REJECTED, S.ACCEPTED, S.IN_ORDER, S.ENROLLED)
PLANNED = (S.ACCEPTED, S.IN_ORDER, S.ENROLLED)
ORDERED = (S.IN_ORDER, S.ENROLLED)

# The facts a story needs on the student's record.
BOLASHAK = "bolashak"  # recorded after the application was submitted
SHORT_TRIP = "short_trip"  # the employer's order gives a shorter trip than the application

# Who reviews, and who teaches and tutors the disciplines of later semesters in an individual plan, by group.
REVIEWERS = {"kk": "admin1", "ru": "admin2"}
PLAN_STAFF = {
    "ПП-26-1К": ("teacher1", "tutor1"),
    "ПП-26-2Р": ("teacher4", "tutor1"),
    "ИНФ-26-1К": ("teacher3", "tutor2"),
    "ИНФ-26-2Р": ("teacher2", "tutor2"),
}
PROGRAMME_WITH_EUMKS = "6B01101"


@dataclass(frozen=True)
class Row:
    """One student's application: in which category, which DLT types, to which state."""

    username: str
    category: str
    target: str
    dlt_types: tuple[str, ...]
    granted: str = ""
    with_document: bool = True
    story: str = ""
    disability: str = ""


ROWS: tuple[Row, ...] = (
    # 6B06101 "Computer Science", full-time, Kazakh group ИНФ-26-1К.
    Row("student01", Category.EXCHANGE, S.DRAFT, (DltType.NETWORK,), with_document=False),
    Row("student02", Category.DISABILITY, S.SUBMITTED, (DltType.NETWORK, DltType.CASE), disability="group_2"),
    Row("student03", Category.EXCHANGE, S.IN_ORDER, (DltType.NETWORK,), DltType.NETWORK),
    Row("student05", Category.EXCHANGE, S.REJECTED, (DltType.NETWORK,), story=BOLASHAK),
    Row("student06", Category.MILITARY, S.DRAFT, (DltType.CASE,)),  # full-time: submission is refused
    Row("student07", Category.EXCHANGE, S.RETURNED, (DltType.NETWORK,)),
    # 6B06101, Russian group ИНФ-26-2Р.
    Row("student11", Category.DISABILITY, S.UNDER_REVIEW, (DltType.NETWORK,), disability="since_childhood"),
    Row("student12", Category.EXCHANGE, S.ACCEPTED, (DltType.NETWORK, DltType.TV), DltType.NETWORK),
    Row("student13", Category.EXCHANGE, S.SUBMITTED, (DltType.NETWORK,)),
    # 6B01101 "Pedagogy and Psychology", shortened on the basis of TVET, correspondence, Kazakh group ПП-26-1К.
    Row("student21", Category.SHORTENED, S.ENROLLED, (DltType.NETWORK, DltType.TV), DltType.NETWORK),
    Row("student22", Category.DISABILITY, S.ENROLLED, (DltType.CASE, DltType.NETWORK), DltType.CASE,
        disability="group_1"),
    Row("student23", Category.BUSINESS_TRIP, S.REJECTED, (DltType.NETWORK,), story=SHORT_TRIP),
    Row("student24", Category.MILITARY, S.ACCEPTED, (DltType.CASE,), DltType.CASE),
    Row("student25", Category.SHORTENED, S.UNDER_REVIEW, (DltType.NETWORK,)),
    Row("student26", Category.BUSINESS_TRIP, S.SUBMITTED, (DltType.NETWORK, DltType.CASE)),
    Row("student27", Category.MILITARY, S.RETURNED, (DltType.CASE,)),
    Row("student28", Category.SHORTENED, S.DRAFT, (DltType.NETWORK,)),
    # 6B01101, Russian group ПП-26-2Р.
    Row("student31", Category.MILITARY, S.ENROLLED, (DltType.CASE, DltType.NETWORK), DltType.NETWORK),
    Row("student32", Category.BUSINESS_TRIP, S.ACCEPTED, (DltType.NETWORK,), DltType.NETWORK),
)  # fmt: skip


# --- Dates ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    """The dates of the demo's applications, from the day of seeding (a submitted period never starts in the
    past)."""

    today: date
    next_month: date  # the first day of the next month
    term_end: date  # the end of the spring semester of 2026–2027 (or four months on)
    exchange_from: date
    exchange_until: date
    trip_from: date
    trip_until: date  # 6 months
    short_trip_until: date  # 3 months: what the employer's order says
    claimed_trip_until: date  # 5 months: what the application says

    @classmethod
    def of(cls, today: date) -> "Dates":
        next_month = (today.replace(day=1) + relativedelta(months=1)).replace(day=1)
        term_end = max(date(2027, 6, 30), next_month + relativedelta(months=4))
        exchange_from = max(date(2027, 1, 25), next_month)
        return cls(
            today=today,
            next_month=next_month,
            term_end=term_end,
            exchange_from=exchange_from,
            exchange_until=max(date(2027, 6, 30), exchange_from + relativedelta(months=5)),
            trip_from=next_month,
            trip_until=next_month + relativedelta(months=6) - timedelta(days=1),
            short_trip_until=next_month + relativedelta(months=3) - timedelta(days=1),
            claimed_trip_until=next_month + relativedelta(months=5) - timedelta(days=1),
        )


def _d(value: date) -> str:
    return f"{value:%d.%m.%Y}"


# --- What the students write -----------------------------------------------------------------------------------

JUSTIFICATIONS: dict[tuple[str, str], str] = {
    ("kk", Category.SHORTENED): (
        "Мен техникалық және кәсіптік білім негізінде қысқартылған бағдарлама бойынша сырттай оқимын және "
        "Павлодар қаласындағы № 12 мектеп-гимназияда тәрбиешінің көмекшісі болып толық жұмыс күнімен істеймін. "
        "Сессияларға күндізгі уақытта келу мүмкіндігім шектеулі, сондықтан оқуды қашықтан білім беру "
        "технологиялары бойынша жалғастыруды сұраймын."
    ),
    ("kk", Category.DISABILITY): (
        "Менде II топтағы мүгедектік бар, тірек-қимыл аппаратының зақымдануына байланысты университетке күн сайын "
        "келу қиын. Сабақтарды үйден желілік технология бойынша оқуға және бақылау іс-шараларына қашықтан "
        "қатысуға рұқсат беруіңізді сұраймын."
    ),
    ("ru", Category.DISABILITY): (
        "У меня инвалидность с детства (нарушение функций опорно-двигательного аппарата), ежедневное посещение "
        "университета затруднено. Прошу разрешить обучение по сетевой технологии с дистанционным участием в "
        "контрольных мероприятиях."
    ),
    ("kk", Category.EXCHANGE): (
        "Академиялық ұтқырлық бағдарламасы бойынша көктемгі семестрде шетелдегі серіктес университетте оқимын. "
        "Осы кезеңде бағдарламамның қалған пәндерін қашықтан білім беру технологиялары бойынша оқуды сұраймын."
    ),
    ("ru", Category.EXCHANGE): (
        "В весеннем семестре я обучаюсь в зарубежном университете-партнёре по программе академической "
        "мобильности. Прошу разрешить на этот период изучать остальные дисциплины моей программы по "
        "дистанционным образовательным технологиям."
    ),
    ("kk", Category.MILITARY): (
        "Мерзімді әскери қызметке шақырылдым, шақыру қағазы қоса беріледі. Әскери қызмет кезінде оқуды тоқтатпай, "
        "кейс-технология бойынша жалғастыруды сұраймын."
    ),
    ("ru", Category.MILITARY): (
        "Я призван на срочную воинскую службу, повестка прилагается. Прошу разрешить продолжить обучение по "
        "дистанционным образовательным технологиям на время службы."
    ),
    ("kk", Category.BUSINESS_TRIP): (
        "Жұмыс берушім мені шетелдегі жобаға ұзақ мерзімді іссапарға жібереді, іссапар туралы бұйрық қоса "
        "беріледі. Іссапар кезінде оқуды қашықтан білім беру технологиялары бойынша жалғастыруды сұраймын."
    ),
    ("ru", Category.BUSINESS_TRIP): (
        "Работодатель направляет меня в длительную зарубежную командировку, приказ о командировке прилагается. "
        "Прошу разрешить на время командировки обучение по дистанционным образовательным технологиям."
    ),
}
HOSTS = {
    "kk": ("Варшава университеті (Uniwersytet Warszawski)", "Польша"),
    "ru": ("Университет Тарту (Tartu Ülikool)", "Эстония"),
}


@dataclass(frozen=True)
class Paper:
    """A supporting document: its file name, the lines printed on it (ASCII), and its description."""

    name: str
    lines: tuple[str, ...]
    description: dict[str, str]
    issued_days_ago: int


def _paper(row: Row, student: Student, dates: Dates) -> Paper:
    who = student.name_latin or f"{student.last_name} {student.first_name}".encode("ascii", "replace").decode()
    doc_type = CATEGORY_DOCUMENT[Category(row.category)]
    if doc_type == DocumentType.PRIOR_EDUCATION:
        return Paper(
            "diploma-tvet.pdf",
            ("Diploma of technical and vocational education TKB No. 0045127", who,
             "Pavlodar Pedagogical College, speciality 01140100 Primary education, 2023"),
            {"kk": "Павлодар педагогикалық колледжінің дипломы, ТКБ № 0045127 (2023)",
             "ru": "Диплом Павлодарского педагогического колледжа, ТКБ № 0045127 (2023)"},
            900,
        )  # fmt: skip
    if doc_type == DocumentType.DISABILITY:
        return Paper(
            "disability-certificate.pdf",
            ("Certificate of disability (medical and social expertise)", who, "Department of MSE, Pavlodar region"),
            {"kk": "Медициналық-әлеуметтік сараптама бөлімінің мүгедектік туралы анықтамасы",
             "ru": "Справка об инвалидности отдела медико-социальной экспертизы"},
            40,
        )  # fmt: skip
    if doc_type == DocumentType.EXCHANGE:
        host = HOSTS["ru" if student.language == "ru" else "kk"][0]
        return Paper(
            "exchange-invitation.pdf",
            ("Invitation and learning agreement, academic mobility programme", who,
             f"Spring semester {_d(dates.exchange_from)} - {_d(dates.exchange_until)}"),
            {"kk": f"{host} шақыру хаты және оқу келісімі", "ru": f"Приглашение и соглашение об обучении: {host}"},
            20,
        )  # fmt: skip
    if doc_type == DocumentType.MILITARY:
        return Paper(
            "call-up-notice.pdf",
            ("Call-up notice for conscript military service", who, "Department of Defence Affairs, Pavlodar"),
            {"kk": "Павлодар қаласының қорғаныс істері басқармасының шақыру қағазы",
             "ru": "Повестка управления по делам обороны города Павлодара"},
            10,
        )  # fmt: skip
    until = dates.short_trip_until if row.story == SHORT_TRIP else dates.trip_until
    return Paper(
        "business-trip-order.pdf",
        ("Order No. 112-k on the business trip abroad", who, f"From {_d(dates.trip_from)} to {_d(until)}"),
        {"kk": f"Жұмыс берушінің шетелге іссапар туралы бұйрығы № 112-к ({_d(dates.trip_from)} – {_d(until)})",
         "ru": f"Приказ работодателя о зарубежной командировке № 112-к ({_d(dates.trip_from)} – {_d(until)})"},
        7,
    )  # fmt: skip


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def small_pdf(lines: tuple[str, ...] | list[str]) -> bytes:
    """A one-page A4 PDF printing `lines` (ASCII) in Helvetica: a scanned document's stand-in (under 1 KB)."""
    text = " T* ".join(f"({_escape(line.encode('ascii', 'replace').decode())}) Tj" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _fields(row: Row, language: str, dates: Dates) -> dict[str, Any]:
    """What the student writes on the form."""
    values: dict[str, Any] = {
        "category": row.category,
        "justification": JUSTIFICATIONS.get((language, row.category)) or JUSTIFICATIONS[("kk", row.category)],
        "dlt_types": list(row.dlt_types),
        "starts_on": dates.today if row.target in ORDERED else dates.next_month,
        "ends_on": dates.term_end,
        "language": language,
    }
    if row.category == Category.EXCHANGE:
        host, country = HOSTS[language]
        values.update(
            starts_on=dates.exchange_from,
            ends_on=dates.exchange_until,
            abroad_from=dates.exchange_from,
            abroad_until=dates.exchange_until,
        )
        if row.with_document:  # the draft without a document has not got as far as the host either
            values.update(host_institution=host, host_country=country)
        if row.target in ORDERED:
            values["starts_on"] = dates.today
    elif row.category == Category.MILITARY:
        values["ends_on"] = values["starts_on"] + relativedelta(years=1) - timedelta(days=1)
    elif row.category == Category.BUSINESS_TRIP:
        until = dates.claimed_trip_until if row.story == SHORT_TRIP else dates.trip_until
        values.update(starts_on=dates.trip_from, ends_on=until, abroad_from=dates.trip_from, abroad_until=until)
    return values


# --- What the administration service writes --------------------------------------------------------------------

RETURN_COMMENTS = {
    Category.EXCHANGE: (
        "Шақыру хатында көктемгі семестрдің күндері ғана көрсетілген, қабылдаушы университеттің оқу келісімі "
        "(Learning Agreement) жоқ. Екі жақ қол қойған оқу келісімін тіркеп, шетелде болу күндерін соған сәйкес "
        "түзетіңіз."
    ),
    Category.MILITARY: (
        "Шақыру қағазының көшірмесі анық емес: қорғаныс істері басқармасының мөрі мен әскери бөлімге келу күні "
        "көрінбейді. Анық көшірмесін тіркеп, өтінішті қайта жіберіңіз."
    ),
}


def _reject_reason(row: Row, dates: Dates, student: Student) -> str:
    if row.story == BOLASHAK:
        return (
            "Халықаралық бағдарламалар орталығының хатына сәйкес Сіз «Болашақ» халықаралық стипендиясының иегерісіз "
            "(бұл дерек тіркеу кеңсесінде Сіздің жеке ісіңізге енгізілді). Қашықтықтан білім беру технологиялары "
            "бойынша оқу процесін ұйымдастыру қағидаларының 10-тармағына сәйкес академиялық ұтқырлық "
            "бағдарламасы бойынша шетелде оқитындарға ҚБТ «Болашақ» стипендиясының иегерлеріне қолданылмайды. "
            "Өтініш қабылданбады."
        )
    return (
        f"Қоса берілген жұмыс берушінің № 112-к бұйрығына сәйкес шетелдік іссапар {_d(dates.trip_from)} – "
        f"{_d(dates.short_trip_until)} аралығында, яғни 3 ай; өтініште көрсетілген {_d(dates.claimed_trip_until)} "
        "дейінгі мерзім бұйрықпен расталмайды. Қағидалардың 10-тармағына сәйкес ҚБТ шетелге 4 айдан астам "
        "мерзімге ұзақ іссапарға жіберілген білім алушыларға қолданылады. Өтініш қабылданбады."
    )


# --- Building ---------------------------------------------------------------------------------------------------


@dataclass
class People:
    users: dict[str, Any]
    students: dict[str, Student]


def _people() -> People | None:
    usernames = {row.username for row in ROWS} | {"admin1", "admin2", "head"}
    usernames |= {name for pair in PLAN_STAFF.values() for name in pair}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    students = {
        s.user.username: s
        for s in Student.objects.filter(user__username__in=[row.username for row in ROWS]).select_related(
            "user", "group"
        )
        if s.user is not None and s.group is not None
    }
    if set(users) != usernames or len(students) != len(ROWS):
        return None
    return People(users=users, students=students)


def _content_ready(today: date) -> bool:
    """The learning content is there: every discipline of 6B01101 has an approved e-UMK this year."""
    ids = list(
        CurriculumEntry.objects.filter(programme__code=PROGRAMME_WITH_EUMKS).values_list("discipline_id", flat=True)
    )
    if not ids:
        return False
    year = academics_api.year_current(on=today)
    return year is not None and not content_api.eumk_missing(discipline_ids=ids, year_id=year.id)


def _record(student: Student, **facts: Any) -> None:
    """A fact of the student's record, as the registrar's office keeps it (records has no service for it)."""
    Student.objects.filter(pk=student.pk).update(**facts, updated_at=timezone.now())
    for key, value in facts.items():
        setattr(student, key, value)


def _write(row: Row, student: Student, dates: Dates) -> Application:
    """The student writes the application and, unless it stays a bare draft, attaches the supporting PDF."""
    user = student.user
    language = "ru" if student.language == "ru" else "kk"
    application = application_services.application_create(actor=user, **_fields(row, language, dates))
    if row.with_document:
        paper = _paper(row, student, dates)
        application_services.supporting_document_add(
            actor=user,
            application=application,
            doc_type=CATEGORY_DOCUMENT[Category(row.category)],
            upload=SimpleUploadedFile(paper.name, small_pdf(paper.lines), content_type="application/pdf"),
            issued_on=dates.today - timedelta(days=paper.issued_days_ago),
            description=paper.description[language],
        )
    return application


def _submit(row: Row, student: Student, application: Application) -> Application:
    application = application_services.application_submit(actor=student.user, application=application)
    if row.story == BOLASHAK:
        _record(student, bolashak=True)  # recorded after the submission, from the international programmes' letter
    return application


def _plan_complete(plan: StudyPlan, *, student: Student, people: People) -> None:
    """admin1 names a teacher and a tutor for each remaining discipline that has none, and approves the plan."""
    admin = people.users["admin1"]
    group = student.group.code if student.group is not None else ""
    teacher, tutor = (people.users[name] for name in PLAN_STAFF[group])
    for line in plan.lines.filter(completed=False).order_by("period_number", "discipline__code"):
        if line.teacher_id is not None and line.tutor_id is not None:
            continue
        plan_services.study_plan_line_update(
            actor=admin,
            line=line,
            teacher_id=line.teacher_id or teacher.pk,
            tutor_id=line.tutor_id or tutor.pk,
            course_id=line.course_id,
            dlt_type=line.dlt_type,
        )
    plan.refresh_from_db()
    if plan.status != PlanStatus.APPROVED:
        plan_services.study_plan_approve(actor=admin, plan=plan)


def _application(row: Row, people: People, dates: Dates) -> None:
    """The student's application, taken to its state (up to accepted with an approved plan for the ordered)."""
    student = people.students[row.username]
    if Application.objects.filter(student=student).exists():
        return
    if row.disability:
        _record(student, disability=row.disability)
    application = _write(row, student, dates)
    if row.target == S.DRAFT:
        return
    application = _submit(row, student, application)
    if row.target == S.SUBMITTED:
        return
    language = "ru" if student.language == "ru" else "kk"
    reviewer = people.users[REVIEWERS[language]]
    application = application_services.application_take_for_review(actor=reviewer, application=application)
    if row.target == S.UNDER_REVIEW:
        return
    if row.target == S.RETURNED:
        application_services.application_return(
            actor=reviewer, application=application, comment=RETURN_COMMENTS[Category(row.category)]
        )
        return
    if row.target == S.REJECTED:
        application_services.application_reject(
            actor=reviewer, application=application, reason=_reject_reason(row, dates, student)
        )
        return
    application = application_services.application_accept(
        actor=reviewer, application=application, granted_type=row.granted
    )
    if row.target in ORDERED:
        _plan_complete(StudyPlan.objects.get(application=application), student=student, people=people)


def _attachments(order_id: int) -> None:
    """Issue the order's attachments as its background job does (the job's own services, here and now: the
    seeding's transaction has not committed, so the queued task would only run after it)."""
    job = AttachmentJob.objects.filter(order_id=order_id).order_by("-pk").first()
    if job is None:
        return
    order_services.attachments_job_dispatch(job_id=job.pk)
    enrolments = list(Enrolment.objects.filter(order_id=order_id).values_list("pk", flat=True))
    order_services.attachments_chunk_process(job_id=job.pk, enrolment_ids=enrolments)
    job.refresh_from_db()
    if job.status != JobStatus.DONE:
        raise RuntimeError(f"The attachments of the demo's DLT order {order_id} failed: {job.error}")


def _order(target: str, people: People, dates: Dates) -> int | None:
    """The DLT order of the rows whose state is `target` (in an order: a draft; enrolled: signed by the head),
    made of their accepted applications that are in no order yet. Returns the order's id, if one was made."""
    usernames = [row.username for row in ROWS if row.target == target]
    applications = list(
        Application.objects.filter(
            student__user__username__in=usernames, status=S.ACCEPTED, enrolment__isnull=True
        ).order_by("student__last_name", "pk")
    )
    if not applications:
        return None
    order = order_services.dlt_order_create(
        actor=people.users["admin1"],
        application_ids=[a.pk for a in applications],
        effective_date=dates.today,
    )
    _attachments(order.id)
    if target == S.ENROLLED:
        order_services.dlt_order_sign(actor=people.users["head"], order_id=order.id)
    return order.id


def dlt_seed() -> None:
    """Build whatever part of the demo's DLT enrolment is missing (the institution and its learning content must
    exist already)."""
    today = timezone.localdate()
    people = _people()
    if people is None or not organization_api.dlt_allowed(on=today).allowed or not _content_ready(today):
        return
    dates = Dates.of(today)
    for row in ROWS:
        _application(row, people, dates)
    _order(S.ENROLLED, people, dates)
    _order(S.IN_ORDER, people, dates)
