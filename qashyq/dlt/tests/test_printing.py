"""The three attachments of a DLT order (rule 13): what the PDFs say in Kazakh and in Russian, when a document
already issued is reused, how many queries each takes, and who may download them (full matrix)."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.utils import timezone

from qashyq.accounts.api import Role
from qashyq.audit.models import Event
from qashyq.dlt import printing
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType, EntryKind, PlanStatus
from qashyq.dlt.models import Application, Schedule, ScheduleEntry, StudyPlan, StudyPlanLine
from qashyq.dlt.tests.helpers import TODAY, World, dlt_world, make_application
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import pdf_text, stored_bytes
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

STAFF = {Role.ADMINISTRATION, Role.HEAD}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world() -> World:
    return dlt_world()


def _application(world: World, language: str = "kk", **fields: Any) -> Application:
    values: dict[str, Any] = {
        "status": ApplicationStatus.ACCEPTED,
        "language": language,
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2027, 6, 30),
        "dlt_types": [DltType.NETWORK, DltType.CASE],
        "granted_type": DltType.NETWORK,
    }
    values.update(fields)
    return make_application(world.student, **values)


def make_plan(world: World, application: Application, *, approved: bool = False) -> StudyPlan:
    """The plan of the world's four disciplines (two per semester); the first was studied before DLT."""
    plan = StudyPlan.objects.create(
        application=application,
        status=PlanStatus.APPROVED if approved else PlanStatus.DRAFT,
        approved_by=world.admin if approved else None,
        approved_at=timezone.make_aware(datetime(2026, 11, 20, 10, 0)) if approved else None,
        version=2,
    )
    for index, (discipline, course) in enumerate(zip(world.disciplines, world.courses, strict=True)):
        StudyPlanLine.objects.create(
            plan=plan,
            discipline=discipline,
            period_number=1 if index < 2 else 2,
            credits=5 + index,
            cycle=("general", "basic", "profile", "profile")[index],
            component=("compulsory", "university", "elective", "elective")[index],
            final_control="exam" if index != 3 else "course_work",
            dlt_type=DltType.NETWORK,
            course=course,
            teacher=world.teacher,
            tutor=world.tutor,
            completed=index == 0,
        )
    return plan


def make_schedule(world: World, application: Application) -> Schedule:
    schedule = Schedule.objects.create(
        application=application, version=3, generated_at=timezone.make_aware(datetime(2026, 11, 26, 9, 0))
    )
    inf, mat, db, _web = world.disciplines
    rows = [
        (mat, EntryKind.EXAM, date(2026, 12, 15), None, None, "differentiated_credit", "Математика", ""),
        (mat, EntryKind.CONSULTATION, date(2026, 12, 3), None, datetime(2026, 12, 3, 15, 30), "online", "", ""),
        (mat, EntryKind.MIDTERM_2, date(2026, 12, 7), date(2026, 12, 12), None, "", "", ""),
        (inf, EntryKind.BROADCAST, date(2026, 12, 2), None, datetime(2026, 12, 2, 10, 0), "", "Алгоритмдер", ""),
        (db, EntryKind.ASSIGNMENT, date(2027, 2, 1), date(2027, 2, 20), None, "offline", "ER-диаграмма", ""),
        (db, EntryKind.CONTROL_MATERIALS, date(2027, 5, 1), None, None, "", "", "қағаз нұсқасы"),
        (None, EntryKind.PRACTICE, date(2027, 6, 1), date(2027, 6, 28), None, "", "", ""),
    ]
    for discipline, kind, start, end, at, mode, name, note in rows:
        ScheduleEntry.objects.create(
            schedule=schedule,
            discipline=discipline,
            kind=kind,
            starts_on=start,
            ends_on=end,
            starts_at=timezone.make_aware(at) if at else None,
            mode=mode,
            name_kk=name,
            name_ru=name,
            note=note,
        )
    return schedule


def read(document_id: int, tmp_path) -> str:
    return pdf_text(stored_bytes(Document.objects.get(pk=document_id)), tmp_path)


def age(obj, *, days: int) -> None:
    """Move an object's last change `days` into the past (as if it was issued long after)."""
    type(obj).objects.filter(pk=obj.pk).update(updated_at=F("updated_at") - timedelta(days=days))
    obj.refresh_from_db()


# --- Words ----------------------------------------------------------------------------------------


class TestWords:
    def test_period_words(self):
        start, end = date(2026, 12, 1), date(2027, 6, 30)
        assert (
            printing.period_words(start, end, "kk") == "2026 жылғы 1 желтоқсаннан бастап 2027 жылғы 30 маусымға дейін"
        )
        assert printing.period_words(start, end, "ru") == "с 1 декабря 2026 года по 30 июня 2027 года"
        assert printing.period_words(None, end, "ru") == "по 30 июня 2027 года"
        assert printing.period_words(None, None, "kk") == ""

    @pytest.mark.parametrize("language", ["kk", "ru"])
    def test_every_category_document_type_and_entry_kind_has_official_words(self, language):
        assert set(printing.CATEGORY_WORDS[language]) == set(Category.values)
        assert set(printing.DOCUMENT_TYPE_WORDS[language]) == set(DocumentType.values)
        assert set(printing.ENTRY_KIND_WORDS[language]) == set(EntryKind.values)
        assert set(printing.DLT_TYPE_WORDS[language]) == set(DltType.values)


# --- 1. The application ---------------------------------------------------------------------------


class TestApplicationDocument:
    def test_issued_in_kazakh_for_the_application(self, world):
        application = _application(world, "kk")
        document = printing.application_document_issue(application=application, actor=world.admin)
        assert document.language == "kk"
        assert document.title == f"ҚБТ бойынша оқуға өтініш № {application.pk}"
        assert document.number == str(application.pk)
        assert document.issued_on == timezone.localdate()
        stored = Document.objects.get(pk=document.id)
        assert (stored.kind, stored.target_type, stored.target_id) == (
            "dlt_application",
            "dlt.application",
            str(application.pk),
        )
        assert stored.issuer == "Qashyq университеті"
        assert world.student.last_name not in document.title

    def test_kazakh_text(self, world, tmp_path):
        application = _application(
            world,
            "kk",
            category=Category.EXCHANGE,
            host_institution="Seoul National University",
            host_country="Корея",
            abroad_from=date(2026, 12, 1),
            abroad_until=date(2027, 6, 30),
            justification="Алмасу бағдарламасы бойынша Сеулге барамын.",
        )
        document = printing.application_document_issue(application=application, actor=world.student_user)
        text = read(document.id, tmp_path)
        submitted = printing.date_words(timezone.localdate(application.submitted_at), "kk")
        for expected in (
            "Qashyq университеті басшысына",
            f"Білім алушы: {world.student.full_name}",
            "Білім беру бағдарламасы: 6B06101",
            "Топ: ИС-25-1, 1-курс",
            "Оқу нысаны: сырттай",
            "Өтініш",
            f"№ {application.pk}",
            "Маған 2026 жылғы 1 желтоқсаннан бастап 2027 жылғы 30 маусымға дейін қашықтықтан білім беру "
            "технологияларын (желілік технология, кейс-технология) қолдана отырып оқуға рұқсат беруіңізді сұраймын.",
            "10-тармағында көзделген санат – «Болашақ» стипендиаттарын қоспағанда, алмасу бағдарламасы бойынша "
            "мемлекеттен тысқары кеткен білім алушылар.",
            "Қабылдаушы білім беру ұйымы: Seoul National University, Корея.",
            "Шетелде болу мерзімі: 2026 жылғы 1 желтоқсаннан бастап 2027 жылғы 30 маусымға дейін.",
            "Уәжді негіздеме: Алмасу бағдарламасы бойынша Сеулге барамын.",
            "Қоса беріліп отырған растаушы құжаттар",
            "Мерзімді әскери қызметке шақыру қағазы",
            (TODAY - timedelta(days=10)).strftime("%d.%m.%Y"),
            "certificate",
            f"Өтініш берілген күні: {submitted}",
            f"коды: {document.verification_code}",
        ):
            assert expected in text, expected
        assert "Заявление" not in text
        assert world.student.iin not in text

    def test_russian_text(self, world, tmp_path):
        application = _application(world, "ru", category=Category.MILITARY, dlt_types=[DltType.TV])
        document = printing.application_document_issue(application=application, actor=world.admin)
        assert document.title == f"Заявление на обучение по ДОТ № {application.pk}"
        text = read(document.id, tmp_path)
        for expected in (
            "Руководителю Университет Qashyq",
            f"Обучающийся: {world.student.full_name}",
            "Группа: ИС-25-1, 1 курс",
            "Форма обучения: заочная",
            "Заявление",
            "Прошу разрешить мне обучение с применением дистанционных образовательных технологий "
            "(ТВ-технология) с 1 декабря 2026 года по 30 июня 2027 года.",
            "пунктом 10 Правил организации учебного процесса по дистанционным образовательным технологиям, – "
            "призванные на срочную воинскую службу, обучающиеся по заочной форме.",
            "Мотивированное обоснование: Әскери қызметке шақырылдым",
            "Прилагаемые подтверждающие документы",
            "Повестка о призыве на срочную воинскую службу",
            "Дата подачи:",
            f"документа: {document.verification_code}",
        ):
            assert expected in text, expected
        assert "Өтініш" not in text
        assert "Принимающая" not in text  # no host institution for this category

    @pytest.mark.parametrize("category", list(Category))
    @pytest.mark.parametrize("language", ["kk", "ru"])
    def test_each_category_in_official_words(self, world, tmp_path, category, language):
        application = _application(world, language, category=category)
        text = read(printing.application_document_issue(application=application, actor=None).id, tmp_path)
        assert " ".join(printing.CATEGORY_WORDS[language][category].split()) in text

    def test_a_draft_has_blank_date_and_no_documents_table(self, world, tmp_path):
        application = _application(world, "kk", status=ApplicationStatus.DRAFT, with_document=False)
        text = read(printing.application_document_issue(application=application, actor=None).id, tmp_path)
        assert "«___» ____________ 20___ ж." in text
        assert "растаушы құжаттар" not in text

    def test_without_an_institution_profile_a_placeholder(self, world, tmp_path):
        from qashyq.organization.models import Institution

        Institution.objects.all().delete()
        application = _application(world, "ru")
        text = read(printing.application_document_issue(application=application, actor=None).id, tmp_path)
        assert "Руководителю Организация образования" in text


# --- 2. The study plan ----------------------------------------------------------------------------


class TestStudyPlanDocument:
    def test_issued_for_the_plan(self, world):
        plan = make_plan(world, _application(world, "ru"))
        document = printing.study_plan_document_issue(plan=plan, actor=world.admin)
        assert document.title == f"Индивидуальный учебный план № {plan.application_id}"
        assert document.number == f"{plan.application_id}/2"
        assert document.language == "ru"
        stored = Document.objects.get(pk=document.id)
        assert (stored.kind, stored.target_type, stored.target_id) == ("dlt_study_plan", "dlt.studyplan", str(plan.pk))

    def test_kazakh_text_of_an_approved_plan(self, world, tmp_path):
        plan = make_plan(world, _application(world, "kk"), approved=True)
        document = printing.study_plan_document_issue(plan=plan, actor=world.admin)
        text = read(document.id, tmp_path)
        teacher = printing.person_name(world.teacher)
        tutor = printing.person_name(world.tutor)
        for expected in (
            "QASHYQ УНИВЕРСИТЕТІ",
            "БЕКІТЕМІН",
            "ҚБТ бойынша оқу процесін әкімшілендіру қызметі",
            f"____________ {printing.person_name(world.admin)} 20.11.2026",
            "Жеке оқу жоспары",
            f"№ {plan.application_id}, 2-нұсқа",
            f"Білім алушы: {world.student.full_name}",
            "Білім беру бағдарламасы: 6B06101 «",
            "Топ, курс: ИС-25-1, 1-курс; оқу нысаны: сырттай",
            "ҚБТ түрі: желілік технология; ҚБТ бойынша оқу мерзімі: 01.12.2026 – 30.06.2027",
            "Санаты (Қағидалардың 10-тармағы): сырттай оқу нысаны бойынша оқитын, мерзімді әскери қызметке "
            "шақырылғандар",
            "Пәндер академиялық кезеңдер бойынша",
            "1-академиялық кезең (1-курс)",
            "№ Коды Пән Кредит Цикл Компонент Қорытынды бақылау Оқытушы Тьютор",
            f"1 INF101 Информатика ҚБТ-ға дейін игерілген 5 ЖБП МК емтихан {teacher} {tutor}",
            f"2 MAT102 Математика 6 БП ЖООК емтихан {teacher} {tutor}",
            "Кезең бойынша барлығы 11 оның ішінде ҚБТ бойынша: 6",
            "2-академиялық кезең (1-курс)",
            f"2 WEB202 Веб-бағдарламалау 8 КП ТК курстық жұмысты қорғау {teacher} {tutor}",
            "Кезең бойынша барлығы 15",
            "1-курс бойынша барлығы 26 оның ішінде ҚБТ бойынша: 21",
            "Барлығы: 4 пән, 26 кредит (оның ішінде ҚБТ бойынша: 21).",
            "Қысқартулар: ЖБП – жалпы білім беретін пәндер; БП – базалық пәндер; КП – кәсіптендіру пәндері; "
            "МК – міндетті компонент; ЖООК – ЖОО компоненті; ТК – таңдау компоненті.",
            f"Таныстым: ____________ {world.student.full_name}",
            f"коды: {document.verification_code}",
        ):
            assert expected in text, expected
        assert "УТВЕРЖДАЮ" not in text

    def test_russian_text_of_a_draft_plan(self, world, tmp_path):
        plan = make_plan(world, _application(world, "ru"))
        text = read(printing.study_plan_document_issue(plan=plan, actor=world.admin).id, tmp_path)
        for expected in (
            "УТВЕРЖДАЮ",
            "Служба администрирования учебного процесса по ДОТ",
            "____________ «___» ____________ 20___ г.",
            "Индивидуальный учебный план",
            f"№ {plan.application_id}, редакция 2",
            "Вид ДОТ: сетевая технология; срок обучения по ДОТ: 01.12.2026 – 30.06.2027",
            "Группа, курс: ИС-25-1, 1 курс; форма обучения: заочная",
            "Академический период 1 (1 курс)",
            "№ Код Дисциплина Кредиты Цикл Компонент Итоговый контроль Преподаватель Тьютор",
            "1 INF101 Информатика изучена до ДОТ 5 ООД ОК экзамен",
            "Итого за период 11 в том числе по ДОТ: 6",
            "Итого за 1 курс 26 в том числе по ДОТ: 21",
            "Всего: дисциплин – 4, кредитов – 26 (в том числе по ДОТ: 21).",
            "защита курсовой работы",
            f"Ознакомлен(а): ____________ {world.student.full_name}",
        ):
            assert expected in text, expected
        assert "БЕКІТЕМІН" not in text

    def test_years_are_totalled_apart(self, world, tmp_path):
        plan = make_plan(world, _application(world, "ru"))
        plan.lines.filter(period_number=2).update(period_number=3)
        text = read(printing.study_plan_document_issue(plan=plan, actor=None).id, tmp_path)
        assert "Итого за 1 курс 11 в том числе по ДОТ: 6" in text
        assert "Академический период 3 (2 курс)" in text
        assert "Итого за период 15 Итого за 2 курс 15 " in text


# --- 3. The schedule ------------------------------------------------------------------------------


class TestScheduleDocument:
    def test_issued_for_the_schedule(self, world):
        application = _application(world, "kk")
        make_plan(world, application)
        schedule = make_schedule(world, application)
        document = printing.schedule_document_issue(schedule=schedule, actor=world.admin)
        assert document.title == f"Оқу қызметін ұйымдастырудың жеке кестесі № {application.pk}"
        assert document.number == f"{application.pk}/3"
        stored = Document.objects.get(pk=document.id)
        assert (stored.kind, stored.target_type, stored.target_id) == ("dlt_schedule", "dlt.schedule", str(schedule.pk))

    def test_kazakh_text_by_discipline_then_date(self, world, tmp_path):
        application = _application(world, "kk")
        make_plan(world, application)
        schedule = make_schedule(world, application)
        text = read(printing.schedule_document_issue(schedule=schedule, actor=world.admin).id, tmp_path)
        tutor = printing.person_name(world.tutor)
        for expected in (
            "Оқу қызметін ұйымдастырудың жеке кестесі",
            f"№ {application.pk}, 3-нұсқа",
            f"INF101 Информатика. ҚБТ түрі: желілік технология. Тьютор: {tutor}",
            "1 ТВ-трансляция Алгоритмдер 02.12.2026 10:00",
            "Оқу қызметінің түрі",
            f"MAT102 Математика. ҚБТ түрі: желілік технология. Тьютор: {tutor}",
            "1 «On-line» режиміндегі кеңес беру 03.12.2026 15:30 «on-line»",
            "2 Аралық бақылау 2 (АБ2) 07.12.2026 – 12.12.2026",
            "3 Емтихан 15.12.2026 сараланған сынақ",  # named as its discipline: no name again
            "1 «Off-line» режиміндегі тапсырма ER-диаграмма 01.02.2027 – 20.02.2027 «off-line»",
            "2 Бақылау материалдарын тапсыру мерзімі қағаз нұсқасы 01.05.2027",
            "Жалпы іс-шаралар",
            "1 Кәсіптік практика 01.06.2027 – 28.06.2027",
            "Кесте 26.11.2026 академиялық күнтізбе",
            "БЕКІТІЛДІ ҚБТ бойынша оқу процесін әкімшілендіру қызметі",
            f"Таныстым: ____________ {world.student.full_name}",
        ):
            assert expected in text, expected
        # Disciplines in the plan's order, what belongs to none last.
        assert text.index("INF101 Информатика.") < text.index("MAT102 Математика.") < text.index("DB201")
        assert text.index("DB201") < text.index("Жалпы іс-шаралар")
        assert "WEB202" not in text  # no entries for it

    def test_russian_text(self, world, tmp_path):
        application = _application(world, "ru")
        make_plan(world, application)
        schedule = make_schedule(world, application)
        document = printing.schedule_document_issue(schedule=schedule, actor=world.admin)
        assert document.title == f"Индивидуальный график организации учебной деятельности № {application.pk}"
        text = read(document.id, tmp_path)
        for expected in (
            "Индивидуальный график организации учебной деятельности",
            f"№ {application.pk}, редакция 3",
            "Вид учебной деятельности",
            "Вид ДОТ: сетевая технология",
            "Консультация в режиме",
            "03.12.2026 15:30 «on-line»",
            "Рубежный контроль 2 (РК2) 07.12.2026 – 12.12.2026",
            "3 Экзамен 15.12.2026 дифференцированный зачёт",
            "ТВ-трансляция Алгоритмдер 02.12.2026 10:00",
            "Задание в режиме «off-line» ER-диаграмма",
            "Срок сдачи контрольных материалов",
            "Общие мероприятия",
            "Профессиональная практика 01.06.2027 – 28.06.2027",
            "График составлен 26.11.2026",
            "УТВЕРЖДЕНО Служба администрирования учебного процесса по ДОТ",
            f"Ознакомлен(а): ____________ {world.student.full_name}",
        ):
            assert expected in text, expected

    def test_a_schedule_without_a_plan_or_entries(self, world, tmp_path):
        application = _application(world, "ru")
        schedule = Schedule.objects.create(application=application)
        text = read(printing.schedule_document_issue(schedule=schedule, actor=None).id, tmp_path)
        assert "В графике нет мероприятий." in text

    def test_an_entry_of_a_discipline_outside_the_plan_comes_after_the_plan(self, world, tmp_path):
        from qashyq.academics.tests.factories import DisciplineFactory

        application = _application(world, "ru")
        make_plan(world, application)
        schedule = make_schedule(world, application)
        extra = DisciplineFactory(code="ZZZ999", name_kk="Қосымша", name_ru="Дополнительная", credits=3)
        ScheduleEntry.objects.create(
            schedule=schedule, discipline=extra, kind=EntryKind.TEST, starts_on=date(2026, 12, 1)
        )
        text = read(printing.schedule_document_issue(schedule=schedule, actor=None).id, tmp_path)
        assert text.index("DB201") < text.index("ZZZ999 Дополнительная") < text.index("Общие мероприятия")
        assert "ZZZ999 Дополнительная Вид ДОТ" not in text  # no plan line: no type, no tutor


# --- 4. Reused while current, re-issued after a change --------------------------------------------


class TestCurrent:
    def test_application_reused_until_it_changes(self, world):
        application = _application(world, "kk")
        first = printing.application_document_current(application=application, actor=world.admin)
        again = printing.application_document_current(application=application, actor=world.student_user)
        assert again == first
        application.justification = "Жаңа негіздеме."
        application.save()
        fresh = printing.application_document_current(application=application, actor=world.admin)
        assert fresh.id != first.id
        assert Document.objects.filter(target_type="dlt.application").count() == 2

    def test_application_in_another_language_is_issued_again(self, world):
        application = _application(world, "kk")
        first = printing.application_document_current(application=application, actor=None)
        Application.objects.filter(pk=application.pk).update(language="ru", updated_at=F("updated_at"))
        application.refresh_from_db()
        fresh = printing.application_document_current(application=application, actor=None)
        assert (first.language, fresh.language) == ("kk", "ru")

    def test_plan_reused_while_its_version_stands(self, world):
        plan = make_plan(world, _application(world, "kk"))
        first = printing.study_plan_document_current(plan=plan, actor=world.admin)
        assert printing.study_plan_document_current(plan=plan, actor=world.admin) == first
        plan.version += 1
        plan.save()
        fresh = printing.study_plan_document_current(plan=plan, actor=world.admin)
        assert fresh.id != first.id
        assert fresh.number == f"{plan.application_id}/3"
        assert printing.study_plan_document_current(plan=plan, actor=world.admin) == fresh

    def test_plan_changed_after_issue_without_a_new_version_is_issued_again(self, world):
        plan = make_plan(world, _application(world, "kk"))
        first = printing.study_plan_document_current(plan=plan, actor=None)
        plan.status = PlanStatus.APPROVED
        plan.approved_by = world.admin
        plan.approved_at = timezone.now()
        plan.save()
        assert printing.study_plan_document_current(plan=plan, actor=None).id != first.id

    def test_an_old_plan_document_stays_current_when_nothing_changed(self, world):
        plan = make_plan(world, _application(world, "kk"))
        age(plan, days=30)
        first = printing.study_plan_document_current(plan=plan, actor=None)
        assert printing.study_plan_document_current(plan=plan, actor=None) == first

    def test_revoked_document_is_not_reused(self, world):
        plan = make_plan(world, _application(world, "kk"))
        first = printing.study_plan_document_current(plan=plan, actor=None)
        Document.objects.filter(pk=first.id).update(revoked_at=timezone.now())
        assert printing.study_plan_document_current(plan=plan, actor=None).id != first.id

    def test_schedule_reused_until_it_changes(self, world):
        application = _application(world, "ru")
        make_plan(world, application)
        schedule = make_schedule(world, application)
        first = printing.schedule_document_current(schedule=schedule, actor=world.admin)
        assert printing.schedule_document_current(schedule=schedule, actor=world.admin) == first
        schedule.version += 1
        schedule.save()
        fresh = printing.schedule_document_current(schedule=schedule, actor=world.admin)
        assert fresh.id != first.id
        assert fresh.number == f"{application.pk}/4"

    def test_reuse_reads_one_query_and_issues_nothing(self, world, django_assert_num_queries):
        plan = make_plan(world, _application(world, "kk"))
        first = printing.study_plan_document_current(plan=plan, actor=None)
        events = Event.objects.count()
        with django_assert_num_queries(1):  # the target's documents
            assert printing.study_plan_document_current(plan=plan, actor=None) == first
        assert Event.objects.count() == events


# --- 6. Queries: fixed per document, none again for objects loaded for printing -------------------


class TestQueries:
    @pytest.fixture
    def issue_queries(self, world):
        """How many queries documents.api takes for one issue, measured on a plain document."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from qashyq.documents import api as documents_api

        with CaptureQueriesContext(connection) as context:
            documents_api.document_issue(
                kind="probe",
                title="probe",
                number="1",
                issued_on=TODAY,
                language="kk",
                template_name="documents/pdf/plain.html",
                context={"heading": "x", "paragraphs": []},
                target=("dlt.probe", "1"),
                issued_by=None,
            )
        return len(context.captured_queries)

    def test_application(self, world, issue_queries, django_assert_num_queries):
        application = _application(world, "kk")
        fresh = Application.objects.get(pk=application.pk)
        # the application with student, programme, group; its documents with files; the institution.
        with django_assert_num_queries(issue_queries + 3):
            printing.application_document_issue(application=fresh, actor=None)
        loaded = printing.applications_for_printing().get(pk=application.pk)
        with django_assert_num_queries(issue_queries + 1):
            printing.application_document_issue(application=loaded, actor=None)

    def test_study_plan(self, world, issue_queries, django_assert_num_queries):
        plan = make_plan(world, _application(world, "kk"), approved=True)
        fresh = StudyPlan.objects.get(pk=plan.pk)
        with django_assert_num_queries(issue_queries + 3):  # plan with student and approver; lines; institution
            printing.study_plan_document_issue(plan=fresh, actor=None)
        loaded = printing.study_plans_for_printing().get(pk=plan.pk)
        with django_assert_num_queries(issue_queries + 1):
            printing.study_plan_document_issue(plan=loaded, actor=None)

    def test_schedule(self, world, issue_queries, django_assert_num_queries):
        application = _application(world, "kk")
        make_plan(world, application)
        schedule = make_schedule(world, application)
        fresh = Schedule.objects.get(pk=schedule.pk)
        # schedule with student and plan; entries; plan lines; institution.
        with django_assert_num_queries(issue_queries + 4):
            printing.schedule_document_issue(schedule=fresh, actor=None)
        loaded = printing.schedules_for_printing().get(pk=schedule.pk)
        with django_assert_num_queries(issue_queries + 1):
            printing.schedule_document_issue(schedule=loaded, actor=None)

    def test_loading_many_takes_a_fixed_number_of_queries(self, world, django_assert_num_queries):
        applications = [_application(world, "kk")]
        for _ in range(3):
            other = make_student(world.programme, group=world.group, status="active")
            applications.append(make_application(other, status=ApplicationStatus.ACCEPTED))
        for application in applications:
            make_plan(world, application)
            make_schedule(world, application)
        with django_assert_num_queries(2):
            assert len(list(printing.applications_for_printing())) == 4
        with django_assert_num_queries(2):
            assert len(list(printing.study_plans_for_printing())) == 4
        with django_assert_num_queries(3):
            assert len(list(printing.schedules_for_printing())) == 4


# --- 5. Who may download --------------------------------------------------------------------------


@pytest.fixture
def printed(world):
    """An application of the world's student with its plan (the world's teacher and tutor on every line) and
    schedule, and another student's with theirs (nobody on the lines)."""
    application = _application(world, "kk")
    plan = make_plan(world, application)
    schedule = make_schedule(world, application)
    other_student = make_student(world.programme, group=world.group, status="active")
    other = make_application(other_student, status=ApplicationStatus.ACCEPTED)
    other_plan = StudyPlan.objects.create(application=other)
    other_schedule = Schedule.objects.create(application=other)
    return {
        "application": application,
        "plan": plan,
        "schedule": schedule,
        "other": other,
        "other_plan": other_plan,
        "other_schedule": other_schedule,
    }


CHECKS = {
    "application": ("application", "other", printing.can_download_application_document),
    "plan": ("plan", "other_plan", printing.can_download_plan_document),
    "schedule": ("schedule", "other_schedule", printing.can_download_schedule_document),
}


@pytest.mark.parametrize("what", list(CHECKS))
class TestAccessMatrix:
    @pytest.mark.parametrize("role", list(Role))
    def test_by_role_alone(self, printed, make_user, role, what):
        """A user with one role, named nowhere: only the administration service and the head."""
        own, other, check = CHECKS[what]
        user = make_user(role)
        assert check(user, str(printed[own].pk)) is (role in STAFF)
        assert check(user, str(printed[other].pk)) is (role in STAFF)

    def test_anonymous(self, printed, what):
        own, _other, check = CHECKS[what]
        assert check(AnonymousUser(), str(printed[own].pk)) is False

    @pytest.mark.parametrize("role", sorted(STAFF))
    def test_inactive_staff(self, printed, make_user, role, what):
        own, _other, check = CHECKS[what]
        user = make_user(role, is_active=False)
        assert check(user, str(printed[own].pk)) is False

    def test_the_student_it_belongs_to(self, printed, world, what):
        own, other, check = CHECKS[what]
        assert check(world.student_user, str(printed[own].pk)) is True
        assert check(world.student_user, str(printed[other].pk)) is False

    def test_the_student_deactivated(self, printed, world, what):
        own, _other, check = CHECKS[what]
        world.student_user.is_active = False
        world.student_user.save()
        assert check(world.student_user, str(printed[own].pk)) is False

    def test_another_student(self, printed, make_user, what):
        own, _other, check = CHECKS[what]
        assert check(make_user(Role.STUDENT), str(printed[own].pk)) is False

    @pytest.mark.parametrize("person", ["teacher", "tutor"])
    def test_teacher_and_tutor_named_on_a_line(self, printed, world, person, what):
        own, other, check = CHECKS[what]
        user = getattr(world, person)
        assert check(user, str(printed[own].pk)) is (what != "application")
        assert check(user, str(printed[other].pk)) is False

    def test_named_on_a_line_without_a_teaching_role(self, printed, world, make_user, what):
        own, _other, check = CHECKS[what]
        user = make_user(Role.DIDACTICS)
        StudyPlanLine.objects.filter(plan=printed["plan"]).update(teacher=user)
        assert check(user, str(printed[own].pk)) is False

    def test_named_teacher_deactivated(self, printed, world, what):
        own, _other, check = CHECKS[what]
        world.teacher.is_active = False
        world.teacher.save()
        assert check(world.teacher, str(printed[own].pk)) is False

    @pytest.mark.parametrize("target_id", ["", "abc", "-1", "999999"])
    def test_bad_or_missing_target(self, printed, world, make_user, target_id, what):
        _own, _other, check = CHECKS[what]
        assert check(world.student_user, target_id) is False
        if target_id.isdigit():
            assert check(make_user(Role.ADMINISTRATION), target_id) is True  # staff: nothing to hide, 404 later

    def test_query_count(self, printed, world, django_assert_max_num_queries, what):
        own, _other, check = CHECKS[what]
        with django_assert_max_num_queries(2):  # roles, then one exists()
            check(world.tutor, str(printed[own].pk))


class TestThroughDocuments:
    def test_the_checks_are_registered_for_the_three_targets(self):
        from qashyq.documents import permissions as document_permissions

        assert document_permissions.access_check_for("dlt.application") is printing.can_download_application_document
        assert document_permissions.access_check_for("dlt.studyplan") is printing.can_download_plan_document
        assert document_permissions.access_check_for("dlt.schedule") is printing.can_download_schedule_document

    def test_the_student_downloads_their_own_documents_only(self, client, printed, world):
        mine = [
            printing.application_document_issue(application=printed["application"], actor=None),
            printing.study_plan_document_issue(plan=printed["plan"], actor=None),
            printing.schedule_document_issue(schedule=printed["schedule"], actor=None),
        ]
        theirs = [
            printing.application_document_issue(application=printed["other"], actor=None),
            printing.study_plan_document_issue(plan=printed["other_plan"], actor=None),
            printing.schedule_document_issue(schedule=printed["other_schedule"], actor=None),
        ]
        client.force_login(world.student_user)
        for document in mine:
            response = client.get(document.url)
            assert response.status_code == 200
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
        for document in theirs:
            assert client.get(document.url).status_code == 404

    def test_the_tutor_downloads_the_plan_and_schedule_not_the_application(self, client, printed, world, enrol_totp):
        application = printing.application_document_issue(application=printed["application"], actor=None)
        plan = printing.study_plan_document_issue(plan=printed["plan"], actor=None)
        enrol_totp(world.tutor)
        client.force_login(world.tutor)
        assert client.get(plan.url).status_code == 200
        assert client.get(application.url).status_code == 404
