"""Signed orders made straight in the database, for the tests of printed documents, the browser test of the
verification page and benchmarks/pdf_order.py (they do not depend on the order services' checks)."""

from datetime import date
from typing import Any

from django.utils import timezone

from qashyq.academics.models import Programme, StudyGroup
from qashyq.accounts.tests.factories import UserFactory
from qashyq.core import names
from qashyq.core.iin import iin_make
from qashyq.organization.models import Institution
from qashyq.records.data import OrderKind, OrderStatus
from qashyq.records.models import Order, OrderItem, Student

SURNAMES = names.KAZAKH_SURNAMES
FIRST_NAMES = names.KAZAKH_MALE


def iin_for(n: int) -> str:
    """A valid IIN of a man born on 2005-01-01, different for each `n`."""
    return iin_make(birth_date=date(2005, 1, 1), sex="male", serial=n * 10)


def make_institution() -> Institution:
    return Institution.objects.create(
        name_kk="Әл-Фараби атындағы Үлгі университеті",
        name_ru="Образцовый университет имени аль-Фараби",
        name_en="Al-Farabi Model University",
        bin="123456789012",
        ownership="state",
        subordination="Ғылым және жоғары білім министрлігі",
        education_levels=["higher"],
        city_kk="Алматы",
        city_ru="Алматы",
        licence_number="KZ12LAA00001234",
        licence_date=date(2020, 1, 15),
        licence_issuer="Білім және ғылым саласындағы сапаны қамтамасыз ету комитеті",
        order_number_suffix="ОД",
    )


def make_group(code: str = "ИС-26-1", programme_code: str = "6B06101") -> StudyGroup:
    programme = Programme.objects.filter(code=programme_code).first() or Programme.objects.create(
        code=programme_code,
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        name_en="Information systems",
        level="bachelor",
        forms_offered=["full_time"],
        languages=["kk", "ru"],
    )
    return StudyGroup.objects.create(
        code=code, programme=programme, admission_year=2026, language="kk", form_of_study="full_time", capacity=40
    )


def make_student(
    n: int, *, group: StudyGroup | None = None, programme: Programme | None = None, **fields: Any
) -> Student:
    programme = programme or (group.programme if group else Programme.objects.order_by("pk").first())
    assert programme is not None
    defaults: dict[str, Any] = {
        "iin": iin_for(n),
        "last_name": SURNAMES[n % len(SURNAMES)],
        "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
        "patronymic": "Серікұлы",
        "birth_date": date(2005, 1, 1),
        "sex": "male",
        "programme": programme,
        "group": group,
        "form_of_study": "full_time",
        "language": "kk",
        "funding": "state_grant",
        "status": "applicant",
    }
    defaults.update(fields)
    return Student.objects.create(**defaults)


def make_signed_order(
    *,
    students: int = 3,
    kind: str = OrderKind.ADMISSION,
    number: int = 137,
    head: Any = None,
    group: StudyGroup | None = None,
) -> Order:
    """A signed admission order "№ <number>-ОД" placing `students` applicants into one group."""
    group = group or make_group()
    head = head or UserFactory.create(first_name="Айгерім", last_name="Сейітова", patronymic="Болатқызы")
    today = timezone.localdate()
    order = Order.objects.create(
        kind=kind,
        status=OrderStatus.SIGNED,
        year=today.year,
        number=number,
        number_label=f"{number}-ОД",
        title_kk="Білім алушыларды оқуға қабылдау туралы",
        title_ru="О зачислении обучающихся",
        basis_kk="Қазақстан Республикасының «Білім туралы» Заңына сәйкес, өтініштер негізінде",
        basis_ru="В соответствии с Законом Республики Казахстан «Об образовании», на основании заявлений",
        order_date=today,
        effective_date=date(2026, 9, 1),
        prepared_by=UserFactory.create(),
        signed_by=head,
        signed_at=timezone.now(),
    )
    start = Student.objects.count() + 1
    for position in range(1, students + 1):
        student = make_student(start + position, programme=group.programme)
        OrderItem.objects.create(
            order=order,
            student=student,
            position=position,
            changes={
                "group": group.pk,
                "group_code": group.code,
                "programme": group.programme_id,
                "programme_code": group.programme.code,
                "form_of_study": group.form_of_study,
            },
        )
    return order
