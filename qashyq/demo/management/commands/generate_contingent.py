import os
import random
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from qashyq.academics.data import FormOfStudy, Level
from qashyq.academics.models import Programme, StudyGroup
from qashyq.accounts.api import Role, user_create
from qashyq.core import names
from qashyq.core.iin import iin_make
from qashyq.records import rules
from qashyq.records.data import Funding, OrderKind, OrderStatus, StudentStatus
from qashyq.records.models import Order, OrderItem, OrderNumberCounter, Student
from qashyq.records.services.orders import DEFAULT_TITLES

HELP = """Make a large contingent FAST for benchmarks: programmes, study groups, students with valid unique
IINs and names in Cyrillic with their Latin spelling, and signed orders in force with their items, numbered
per year without gaps or duplicates. Rows are written with bulk_create in batches: this is benchmark data,
NOT an audited history (no audit events, no PDFs, no checks of the order services; histories are random).
Refuses to run when QASHYQ_ENV=production. Example:
manage.py generate_contingent --students 100000 --orders 300000"""

FIRST_YEAR, LAST_YEAR = 2022, 2026
SUFFIX = "ОД"
PROGRAMME_NAMES = (
    ("Педагогика және психология", "Педагогика и психология", "Pedagogy and Psychology"),
    ("Информатика", "Информатика", "Computer Science"),
    ("Математика", "Математика", "Mathematics"),
    ("Физика", "Физика", "Physics"),
    ("Химия", "Химия", "Chemistry"),
    ("Биология", "Биология", "Biology"),
    ("География", "География", "Geography"),
    ("Тарих", "История", "History"),
    ("Қазақ тілі мен әдебиеті", "Казахский язык и литература", "Kazakh Language and Literature"),
    ("Шетел тілі: екі шетел тілі", "Иностранный язык: два иностранных языка", "Two Foreign Languages"),
    ("Экономика", "Экономика", "Economics"),
    ("Есеп және аудит", "Учёт и аудит", "Accounting and Audit"),
    ("Құқықтану", "Юриспруденция", "Law"),
    ("Бағдарламалық инженерия", "Программная инженерия", "Software Engineering"),
    ("Ақпараттық жүйелер", "Информационные системы", "Information Systems"),
    ("Туризм", "Туризм", "Tourism"),
    ("Әлеуметтік педагогика", "Социальная педагогика", "Social Pedagogy"),
    ("Бастауыш оқытудың педагогикасы мен әдістемесі", "Педагогика и методика начального обучения",
     "Primary Education"),
    ("Дене шынықтыру және спорт", "Физическая культура и спорт", "Physical Education and Sport"),
    ("Журналистика", "Журналистика", "Journalism"),
)  # fmt: skip
# Kinds of the orders after admission, with their weights.
LATER_KINDS = (
    (OrderKind.TRANSFER, 30),
    (OrderKind.ACADEMIC_LEAVE, 20),
    (OrderKind.RETURN_FROM_LEAVE, 18),
    (OrderKind.EXPULSION, 20),
    (OrderKind.REINSTATEMENT, 12),
)
STATUS_WEIGHTS = (
    (StudentStatus.ACTIVE, 84),
    (StudentStatus.ACADEMIC_LEAVE, 3),
    (StudentStatus.EXPELLED, 7),
    (StudentStatus.GRADUATED, 4),
    (StudentStatus.APPLICANT, 2),
)
BASIS = ("Білім алушылардың өтініштері", "Заявления обучающихся")
# core.names has 16 Kazakh and 8 Russian surnames: with 100,000 students each would be held by thousands,
# far more than any surname of a real contingent. Surnames made from fathers' names (Айбек → Айбеков,
# Сергей → Сергеев) spread them as real ones are spread; a search for one still finds hundreds.
KAZAKH_SURNAMES = (*names.KAZAKH_SURNAMES, *(f"{name}ов" for name in names.KAZAKH_MALE))
RUSSIAN_SURNAMES = tuple(
    dict.fromkeys(
        (
            *names.RUSSIAN_SURNAMES,
            *(stem for stem in names.RUSSIAN_PATRONYMIC_STEMS.values() if stem.endswith(("ов", "ев"))),
            "Новиков", "Фёдоров", "Волков", "Лебедев", "Козлов", "Степанов", "Николаев", "Орлов",
        )
    )
)  # fmt: skip


@cache
def _latin_and_search(last_name: str, first_name: str, patronymic: str) -> tuple[str, str]:
    latin = rules.name_latin(last_name=last_name, first_name=first_name, patronymic=patronymic)
    search = rules.search_text(last_name=last_name, first_name=first_name, patronymic=patronymic, name_latin=latin)
    return latin, search


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=100_000, help="students to make (default 100000)")
        parser.add_argument("--orders", type=int, default=300_000, help="signed orders to make (default 300000)")
        parser.add_argument("--groups", type=int, default=400, help="study groups to make (default 400)")
        parser.add_argument("--batch", type=int, default=5_000, help="rows per bulk_create (default 5000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) or os.environ.get("QASHYQ_ENV") == "production":
            raise CommandError("generate_contingent makes benchmark data and never runs with QASHYQ_ENV=production.")
        self.random = random.Random(options["seed"])  # noqa: S311  (benchmark data, not secrets)
        self.batch = max(100, options["batch"])
        self.started = time.monotonic()
        run = f"{int(time.time()) % 100_000:05d}"  # keeps codes of a second run apart from the first
        preparer, signer = self._people()
        programmes = self._programmes(run)
        groups = self._groups(run, programmes, options["groups"])
        students = self._students(groups, options["students"])
        self._orders(groups, students, options["orders"], preparer, signer)
        if connection.vendor == "postgresql":
            # What autovacuum would do a little later: the planner's statistics of the new rows.
            with connection.cursor() as cursor:
                for model in (Programme, StudyGroup, Student, Order, OrderItem, OrderNumberCounter):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self._say("Tables analyzed.")
        self._say(f"Done: {len(students)} students, {options['orders']} orders.")

    # --- helpers -----------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f} s] {text}")
        self.stdout.flush()

    def _people(self) -> tuple[Any, Any]:
        """Who prepared and who signed the orders: the first administration and head accounts (made if none)."""
        User = get_user_model()
        found = []
        for role, username in ((Role.ADMINISTRATION, "bench-admin"), (Role.HEAD, "bench-head")):
            user = User.objects.filter(groups__name=role.value).order_by("pk").first()
            if user is None:
                user = user_create(
                    username=username,
                    email=f"{username}@bench.qashyq.kz",
                    password=None,
                    first_name="Бенчмарк",
                    last_name="Әкімші" if role == Role.ADMINISTRATION else "Басшы",
                    roles=(role,),
                )
            found.append(user)
        return found[0], found[1]

    def _programmes(self, run: str) -> list[Programme]:
        existing = set(Programme.objects.values_list("code", flat=True))
        made = []
        for i, (kk, ru, en) in enumerate(PROGRAMME_NAMES):
            code = next(f"6B9{n:04d}" for n in range(i * 100, 10_000) if f"6B9{n:04d}" not in existing)
            existing.add(code)
            forms = [FormOfStudy.FULL_TIME, FormOfStudy.PART_TIME] if i % 3 else [FormOfStudy.CORRESPONDENCE]
            made.append(
                Programme(
                    code=code,
                    name_kk=f"{kk} ({run})",
                    name_ru=f"{ru} ({run})",
                    name_en=f"{en} ({run})",
                    level=Level.BACHELOR,
                    forms_offered=forms,
                    languages=["kk", "ru"],
                    periods=8,
                )
            )
        Programme.objects.bulk_create(made)
        self._say(f"{len(made)} programmes.")
        return made

    def _groups(self, run: str, programmes: list[Programme], count: int) -> list[StudyGroup]:
        made = []
        for i in range(count):
            programme = programmes[i % len(programmes)]
            year = FIRST_YEAR + (i // len(programmes)) % (LAST_YEAR - FIRST_YEAR + 1)
            language = "kk" if i % 5 < 3 else "ru"
            made.append(
                StudyGroup(
                    code=f"Б{run}-{programme.code[3:]}-{year % 100}-{i:04d}{'К' if language == 'kk' else 'Р'}",
                    programme=programme,
                    admission_year=year,
                    language=language,
                    form_of_study=programme.forms_offered[i % len(programme.forms_offered)],
                    capacity=500,
                )
            )
        StudyGroup.objects.bulk_create(made, batch_size=self.batch)
        self._say(f"{len(made)} groups.")
        return made

    def _iins(self, taken: set[str]) -> Iterator[tuple[str, date, str]]:
        rnd = self.random
        while True:
            birth = date(1996, 1, 1) + timedelta(days=rnd.randrange(13 * 365))
            sex = "female" if rnd.random() < 0.55 else "male"
            iin = iin_make(birth_date=birth, sex=sex, serial=rnd.randrange(10_000))
            if iin not in taken:
                taken.add(iin)
                yield iin, birth, sex

    def _name(self, sex: str, russian: bool) -> tuple[str, str, str]:
        rnd, female = self.random, sex == "female"
        if russian:
            first = rnd.choice(names.RUSSIAN_FEMALE if female else names.RUSSIAN_MALE)
            surname = rnd.choice(RUSSIAN_SURNAMES)
            patronymic = names.russian_patronymic(rnd.choice(names.RUSSIAN_MALE), female=female)
        else:
            first = rnd.choice(names.KAZAKH_FEMALE if female else names.KAZAKH_MALE)
            surname = rnd.choice(KAZAKH_SURNAMES)
            patronymic = names.kazakh_patronymic(rnd.choice(names.KAZAKH_MALE), female=female)
        return (names.female_surname(surname) if female else surname), first, patronymic

    def _students(self, groups: list[StudyGroup], count: int) -> list[tuple[int, StudyGroup, str]]:
        """(id, group, status) of every student made (an applicant's group is the one they applied to)."""
        rnd = self.random
        statuses = [s for s, _w in STATUS_WEIGHTS]
        weights = [w for _s, w in STATUS_WEIGHTS]
        iins = self._iins(set(Student.objects.values_list("iin", flat=True)))
        made: list[tuple[int, StudyGroup, str]] = []
        for start in range(0, count, self.batch):
            rows, chosen = [], []
            for _n in range(min(self.batch, count - start)):
                iin, birth, sex = next(iins)
                group = rnd.choice(groups)
                last, first, patronymic = self._name(sex, russian=group.language == "ru" and rnd.random() < 0.5)
                latin, search = _latin_and_search(last, first, patronymic)
                status = rnd.choices(statuses, weights)[0]
                chosen.append(group)
                rows.append(
                    Student(
                        iin=iin,
                        last_name=last,
                        first_name=first,
                        patronymic=patronymic,
                        name_latin=latin,
                        search_text=search,
                        birth_date=birth,
                        sex=sex,
                        phone=f"+7 7{rnd.randrange(10, 80)} {rnd.randrange(1_000_000, 10_000_000)}",
                        programme_id=group.programme_id,
                        group=None if status == StudentStatus.APPLICANT else group,
                        form_of_study=group.form_of_study,
                        language=group.language,
                        funding=Funding.STATE_GRANT if rnd.random() < 0.6 else Funding.PAID,
                        bolashak=rnd.random() < 0.002,
                        disability="group_3" if rnd.random() < 0.01 else "",
                        status=status,
                        course_year=min(4, LAST_YEAR - group.admission_year + 1),
                    )
                )
            with transaction.atomic():
                Student.objects.bulk_create(rows)
            made.extend((s.pk, g, s.status) for s, g in zip(rows, chosen, strict=True))
            self._say(f"students {start + len(rows):>9,} / {count:,}")
        return made

    # --- orders ------------------------------------------------------------------------------------

    def _day(self, year: int, *, first: date | None = None, last: date | None = None) -> date:
        """A working day of `year` between `first` and `last`, never after yesterday."""
        start = first or date(year, 1, 10)
        end = min(last or date(year, 12, 25), timezone.localdate() - timedelta(days=1))
        if end < start:
            return end
        return start + timedelta(days=self.random.randrange((end - start).days + 1))

    def _specs(
        self, groups: list[StudyGroup], students: list[tuple[int, StudyGroup, str]], count: int
    ) -> list[tuple[int, date, str, list[tuple[int, StudyGroup, str]]]]:
        """(year, date, kind, students) of every order: one admission order per 30 students of a group, then
        transfers, leaves, returns, expulsions and reinstatements of random students."""
        rnd = self.random
        by_group: dict[int, list[tuple[int, StudyGroup, str]]] = {}
        for student in students:
            if student[2] != StudentStatus.APPLICANT:
                by_group.setdefault(student[1].pk, []).append(student)
        specs: list[tuple[int, date, str, list[tuple[int, StudyGroup, str]]]] = []
        for group in groups:
            members = by_group.get(group.pk, [])
            year = group.admission_year
            for start in range(0, len(members), 30):
                day = self._day(year, first=date(year, 8, 20), last=date(year, 9, 1))
                specs.append((year, day, OrderKind.ADMISSION, members[start : start + 30]))
        specs = specs[:count]
        kinds = [k for k, _w in LATER_KINDS]
        weights = [w for _k, w in LATER_KINDS]
        admitted = [s for s in students if s[2] != StudentStatus.APPLICANT]
        while len(specs) < count and admitted:
            kind = rnd.choices(kinds, weights)[0]
            listed = rnd.sample(admitted, 2) if rnd.random() < 0.2 else [rnd.choice(admitted)]
            year = rnd.randint(max(g.admission_year for _id, g, _s in listed), LAST_YEAR)
            specs.append((year, self._day(year), kind, listed))
        specs.sort(key=lambda spec: (spec[0], spec[1]))
        return specs

    def _changes(
        self, kind: str, group: StudyGroup, same_programme: dict[int, list[StudyGroup]]
    ) -> tuple[dict[str, Any], str]:
        rnd = self.random
        if kind == OrderKind.EXPULSION:
            return {}, rnd.choice(("own_wish", "academic_failure", "non_payment", "transfer_out"))
        if kind == OrderKind.ACADEMIC_LEAVE:
            return {"until": date(LAST_YEAR + 1, 8, 31).isoformat()}, ""
        if kind == OrderKind.TRANSFER:
            group = rnd.choice(same_programme[group.programme_id])
        changes: dict[str, Any] = {
            "group": group.pk,
            "group_code": group.code,
            "programme": group.programme_id,
            "programme_code": group.programme.code,
            "form_of_study": group.form_of_study,
        }
        if kind == OrderKind.ADMISSION:
            changes["course_year"] = 1
        return changes, ""

    def _orders(
        self,
        groups: list[StudyGroup],
        students: list[tuple[int, StudyGroup, str]],
        count: int,
        preparer: Any,
        signer: Any,
    ) -> None:
        specs = self._specs(groups, students, count)
        self._say(f"{len(specs):,} orders planned.")
        same_programme: dict[int, list[StudyGroup]] = {}
        for group in groups:
            same_programme.setdefault(group.programme_id, []).append(group)
        numbers = {c.year: c.last_number for c in OrderNumberCounter.objects.all()}
        tz = timezone.get_current_timezone()
        for start in range(0, len(specs), self.batch):
            chunk = specs[start : start + self.batch]
            orders = []
            for year, day, kind, _listed in chunk:
                numbers[year] = numbers.get(year, 0) + 1
                signed_at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=tz)
                title_kk, title_ru = DEFAULT_TITLES[kind]
                orders.append(
                    Order(
                        kind=kind,
                        status=OrderStatus.IN_FORCE,
                        year=year,
                        number=numbers[year],
                        number_label=f"{numbers[year]}-{SUFFIX}",
                        title_kk=title_kk,
                        title_ru=title_ru,
                        basis_kk=BASIS[0],
                        basis_ru=BASIS[1],
                        order_date=day,
                        effective_date=day,
                        prepared_by=preparer,
                        signed_by=signer,
                        signed_at=signed_at,
                        applied_at=signed_at + timedelta(minutes=5),
                    )
                )
            items = []
            with transaction.atomic():
                Order.objects.bulk_create(orders)
                for order, (_year, _day, kind, listed) in zip(orders, chunk, strict=True):
                    for position, (student_id, group, status) in enumerate(listed, start=1):
                        changes, reason = self._changes(kind, group, same_programme)
                        before = {
                            "status": StudentStatus.APPLICANT if kind == OrderKind.ADMISSION else status,
                            "group": None if kind == OrderKind.ADMISSION else group.pk,
                            "programme": group.programme_id,
                            "form_of_study": group.form_of_study,
                            "course_year": 1,
                        }
                        items.append(
                            OrderItem(
                                order=order,
                                student_id=student_id,
                                position=position,
                                changes=changes,
                                reason=reason,
                                before=before,
                            )
                        )
                OrderItem.objects.bulk_create(items, batch_size=self.batch)
                for year, last in numbers.items():
                    OrderNumberCounter.objects.update_or_create(year=year, defaults={"last_number": last})
            self._say(f"orders {start + len(chunk):>9,} / {len(specs):,} ({len(items):,} items in this batch)")
