"""Exam-day world on the benchmark database: one course, N enrolled students, a published test item, a bank of
single-choice questions and a test drawing 20 of them, open now, 30 minutes, shuffled.

With --gradebook (run.sh passes it unless EXAM_GRADEBOOK=0) the test is the course's exam: the course moves to
the academic period of today, gets RK1 and RK2 (held, graded 80 for every student: everyone is admitted) and an
exam measure the test's item feeds. Starting the test then checks admission, and grading it enters the exam
grade and refreshes the student's course result, as on a real exam day. Each run deletes the exam's grades and
recalculates the results first.

Run with the production environment of benchmarks/prod_env.sh on its own database (run.sh does):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qashyq_exam .venv/bin/python benchmarks/exam_day/seed.py \
        [--students 500] [--questions 60] [--count 20] [--time-limit 30] [--out benchmarks/results/exam_day/world.json]

Idempotent: the first run builds the world (accounts `exam001`…, password EXAM_PASSWORD, hashed ONCE and the
same hash given to every account so 500 accounts take seconds, not 500 × 0.4 s of PBKDF2); later runs add
missing students, reopen the test from now and delete every attempt of it (and the item's progress rows), so
each benchmark run starts from the same state (a second run takes about a second), VACUUM those tables (their
dead rows would otherwise slow the next run) and ANALYZE every table. Writes a JSON file with the ids the Locust
scenario needs (item, test, usernames, password).

Benchmarks may look inside apps: rows are written straight to the models, as the tests' helpers do.
"""

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_OUT = BASE_DIR / "benchmarks" / "results" / "exam_day" / "world.json"
EXAM_PASSWORD = "Emtihan-kuni-2026"  # noqa: S105  (benchmark accounts on a loopback benchmark database)
COURSE_CODE = "EXAM-DAY-BENCH"
PROGRAMME_CODE = "6B09999"
DISCIPLINE_CODE = "EXAM-DAY-DISC"
GROUP_SIZE = 25
OPTION_IDS = ("a", "b", "c", "d")


def setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(args: argparse.Namespace) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from qashyq.academics.models import AcademicPeriod, Discipline, Programme, StudyGroup
    from qashyq.assessment.models import (
        Attempt,
        AttemptEvent,
        AttemptQuestion,
        Bank,
        BlueprintRule,
        Category,
        Question,
        QuestionVersion,
        Test,
    )
    from qashyq.content.data import Activity, EnrolmentSource, ItemKind, StaffRole
    from qashyq.content.models import Course, CourseStaff, Enrolment, Item, ItemProgress, Section
    from qashyq.content.services.items import item_publish
    from qashyq.core.iin import iin_make
    from qashyq.records import rules as record_rules
    from qashyq.records.data import StudentStatus
    from qashyq.records.models import Student

    User = get_user_model()
    now = timezone.now()
    t0 = time.perf_counter()

    with transaction.atomic():
        teacher, made = User.objects.get_or_create(
            username="exam-teacher", defaults={"first_name": "Ерлан", "last_name": "Оспанов"}
        )
        if made:
            teacher.set_unusable_password()
            teacher.save()
            teacher.groups.add(Group.objects.get(name="teacher"))

        period = AcademicPeriod.objects.order_by("pk").first()
        if period is None:
            raise SystemExit("No academic period: run `manage.py seed_demo --if-empty` first (serve_prod.sh does).")
        programme, _ = Programme.objects.get_or_create(
            code=PROGRAMME_CODE,
            defaults={
                "name_kk": "Емтихан күні бағдарламасы",
                "name_ru": "Программа дня экзамена",
                "name_en": "Exam-day programme",
                "level": "bachelor",
                "forms_offered": ["full_time"],
                "languages": ["kk"],
                "periods": 8,
            },
        )
        discipline, _ = Discipline.objects.get_or_create(
            code=DISCIPLINE_CODE, defaults={"name_kk": "Информатика (емтихан)", "credits": 5}
        )
        course = Course.objects.filter(code=COURSE_CODE).first()
        if course is None:
            course = Course.objects.create(
                code=COURSE_CODE,
                discipline=discipline,
                period=period,
                name_kk="Информатика: емтихан күні",
                name_ru="Информатика: день экзамена",
                name_en="Computer science: exam day",
                created_by=teacher,
            )
            CourseStaff.objects.create(course=course, user=teacher, role=StaffRole.TEACHER)

        # Students: groups of 25, accounts exam001…, one password hash for all.
        student_group = Group.objects.get(name="student")
        usernames = [f"exam{n:03d}" for n in range(1, args.students + 1)]
        existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        missing = [u for u in usernames if u not in existing]
        if missing:
            password_hash = make_password(EXAM_PASSWORD)  # once: PBKDF2 costs about 0.4 s
            User.objects.bulk_create(
                [
                    User(
                        username=u,
                        password=password_hash,
                        first_name="Студент",
                        last_name=f"Емтихан {u[4:]}",
                        language="kk",
                    )
                    for u in missing
                ],
                batch_size=500,
            )
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        Membership = User.groups.through
        have_role = set(
            Membership.objects.filter(user__in=users.values(), group=student_group).values_list("user_id", flat=True)
        )
        Membership.objects.bulk_create(
            [Membership(user_id=u.pk, group_id=student_group.pk) for u in users.values() if u.pk not in have_role],
            batch_size=1000,
        )

        groups: list[StudyGroup] = []
        for g in range((args.students + GROUP_SIZE - 1) // GROUP_SIZE):
            group, _ = StudyGroup.objects.get_or_create(
                code=f"EXAM-{g + 1:02d}",
                defaults={
                    "programme": programme,
                    "admission_year": 2026,
                    "language": "kk",
                    "form_of_study": "full_time",
                },
            )
            groups.append(group)
        course.groups.add(*groups)

        have_student = set(Student.objects.filter(user__in=users.values()).values_list("user__username", flat=True))
        taken = set(Student.objects.values_list("iin", flat=True))
        new_students = []
        for index, username in enumerate(usernames):
            if username in have_student:
                continue
            birth = date(2005, 1 + index % 12, 1 + index % 28)
            sex = "female" if index % 2 else "male"
            serial = 5000 + index
            iin = iin_make(birth_date=birth, sex=sex, serial=serial)
            while iin in taken:
                serial += 1
                iin = iin_make(birth_date=birth, sex=sex, serial=serial)
            taken.add(iin)
            last_name, first_name = "Емтиханова" if sex == "female" else "Емтиханов", f"Студент{index + 1:03d}"
            latin = record_rules.name_latin(last_name=last_name, first_name=first_name)
            new_students.append(
                Student(
                    user=users[username],
                    iin=iin,
                    last_name=last_name,
                    first_name=first_name,
                    name_latin=latin,
                    search_text=record_rules.search_text(last_name=last_name, first_name=first_name, name_latin=latin),
                    birth_date=birth,
                    sex=sex,
                    programme=programme,
                    group=groups[index // GROUP_SIZE],
                    form_of_study="full_time",
                    language="kk",
                    funding="state_grant",
                    status=StudentStatus.ACTIVE,
                )
            )
        Student.objects.bulk_create(new_students, batch_size=500)
        students = list(Student.objects.filter(user__in=users.values()))
        enrolled = set(Enrolment.objects.filter(course=course).values_list("student_id", flat=True))
        Enrolment.objects.bulk_create(
            [
                Enrolment(course=course, student=s, source=EnrolmentSource.GROUP)
                for s in students
                if s.pk not in enrolled
            ],
            batch_size=1000,
        )

        # The bank: single-choice questions, four options, "a" right (shuffled options hide it).
        bank, _ = Bank.objects.get_or_create(
            discipline=discipline, name="Exam day: informatics", defaults={"created_by": teacher}
        )
        category, _ = Category.objects.get_or_create(bank=bank, path="Exam day")
        have = Question.objects.filter(bank=bank).count()
        for n in range(have + 1, args.questions + 1):
            question = Question.objects.create(
                bank=bank,
                category=category,
                type="single",
                difficulty=1,
                language="kk",
                fingerprint=f"exam-day-{n}",
                created_by=teacher,
            )
            version = QuestionVersion.objects.create(
                question=question,
                number=1,
                type="single",
                stem=f"<p>Сұрақ {n}: {n} + {n} неше болады?</p>",
                data={
                    "options": [
                        {"id": oid, "text": str(2 * n + shift), "fraction": 1.0 if shift == 0 else 0.0, "feedback": ""}
                        for oid, shift in zip(OPTION_IDS, (0, 1, -1, 2), strict=True)
                    ],
                    "partial": "all_or_nothing",
                },
                points=1,
                created_by=teacher,
            )
            question.current = version
            question.save(update_fields=["current"])

        section, _ = Section.objects.get_or_create(course=course, position=1, defaults={"name_kk": "Емтихан"})
        item = Item.objects.filter(course=course, kind=ItemKind.TEST).first()
        if item is None:
            item = Item.objects.create(
                section=section,
                course=course,
                position=1,
                kind=ItemKind.TEST,
                activity=Activity.INTERACTION,
                name_kk="Қорытынды тест",
                name_ru="Итоговый тест",
                name_en="Final test",
                body="<p>Емтихан күні.</p>",
            )
        if item.live_version_id is None:
            item_publish(actor=teacher, item=item)
            item.refresh_from_db()

        test = Test.objects.filter(item=item).first()
        window = {
            "course": course,
            "time_limit_minutes": args.time_limit,
            "opens_at": now - timedelta(minutes=10),
            "closes_at": now + timedelta(hours=12),
            "attempts_allowed": 1,
            "shuffle_questions": True,
            "shuffle_options": True,
            "access_code": "",
            "allowed_networks": "",
            "identity_check": "none",
        }
        if test is None:
            test = Test.objects.create(item=item, **window)
        else:
            for field, value in window.items():
                setattr(test, field, value)
            test.save()
        rule = BlueprintRule.objects.filter(test=test).first()
        if rule is None:
            BlueprintRule.objects.create(test=test, bank=bank, count=args.count)
        elif rule.count != args.count or rule.bank_id != bank.pk:
            rule.count, rule.bank = args.count, bank
            rule.save()

        if args.gradebook:
            _link_exam(course=course, item=item, teacher=teacher, student_ids=[st.pk for st in students], now=now)

        # A clean slate for every run.
        attempts = Attempt.objects.filter(test=test)
        AttemptEvent.objects.filter(attempt__in=attempts).delete()
        AttemptQuestion.objects.filter(attempt__in=attempts).delete()
        deleted = attempts.delete()[0]
        ItemProgress.objects.filter(item=item).delete()

    world = {
        "item_id": item.pk,
        "test_id": test.pk,
        "course_id": course.pk,
        "students": len(usernames),
        "username_prefix": "exam",
        "password": EXAM_PASSWORD,
        "questions_in_bank": Question.objects.filter(bank=bank).count(),
        "questions_per_attempt": args.count,
        "option_ids": list(OPTION_IDS),
        "time_limit_minutes": args.time_limit,
        "gradebook": args.gradebook,
        "seeded_at": now.isoformat(),
    }
    print(
        f"Exam-day world: {len(usernames)} students ({len(missing)} new), item {item.pk}, test {test.pk}, "
        f"{world['questions_in_bank']} questions in the bank, {args.count} per attempt; "
        f"{deleted} earlier rows of attempts deleted; {time.perf_counter() - t0:.1f} s"
    )
    return world


def _link_exam(*, course, item, teacher, student_ids: list[int], now) -> None:
    """Make the test the course's exam, with every student admitted (see the module's docstring)."""
    from decimal import Decimal

    from qashyq.academics.models import AcademicPeriod
    from qashyq.gradebook.data import MeasureKind, RatingPart, ResultSource
    from qashyq.gradebook.models import ControlMeasure, CourseResult, Grade
    from qashyq.gradebook.services.results import results_recalculate

    today = now.date()
    period = AcademicPeriod.objects.filter(start_date__lte=today, end_date__gte=today).order_by("pk").first()
    if period is None:
        raise SystemExit("No academic period holds today: the demo institution seeds one.")
    if course.period_id != period.pk:
        course.period = period
        course.save(update_fields=["period"])
    held = now - timedelta(days=1)
    measures = {}
    for position, (key, kind, part, due_at, linked) in enumerate(
        [
            ("RK1", MeasureKind.MIDTERM, RatingPart.RK1, held, None),
            ("RK2", MeasureKind.MIDTERM, RatingPart.RK2, held, None),
            ("EXAM", MeasureKind.EXAM, RatingPart.EXAM, now + timedelta(hours=12), item),
        ]
    ):
        measures[key], _ = ControlMeasure.objects.update_or_create(
            course=course,
            part=part,
            defaults={
                "name_kk": key,
                "name_en": key,
                "kind": kind,
                "due_at": due_at,
                "item": linked,
                "position": position,
            },
        )
    have = set(
        Grade.objects.filter(measure__in=[measures["RK1"], measures["RK2"]]).values_list("measure_id", "student_id")
    )
    Grade.objects.bulk_create(
        [
            Grade(
                measure=m,
                student_id=sid,
                score=Decimal(80),
                source=ResultSource.MANUAL,
                entered_by=teacher,
                entered_at=held,
            )
            for m in (measures["RK1"], measures["RK2"])
            for sid in student_ids
            if (m.pk, sid) not in have
        ],
        batch_size=1000,
    )
    Grade.objects.filter(measure=measures["EXAM"]).delete()
    results_recalculate(course_ids=[course.pk])
    admitted = CourseResult.objects.filter(course=course, admitted=True).count()
    if admitted != len(student_ids):
        raise SystemExit(f"Only {admitted} of {len(student_ids)} students are admitted to the exam.")


def vacuum() -> None:
    """VACUUM the tables a run fills and empties: a run leaves some 100,000 dead rows of answers behind, and the
    next run must not pay for them (autovacuum may not have come by yet). Then ANALYZE every table: the 500
    enrolments, students and grades just made must not be planned as the handful the statistics knew (the test
    page's and the start's enrolment query looped over every enrolment of the course). PostgreSQL only."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from qashyq.assessment.models import Attempt, AttemptEvent, AttemptQuestion
    from qashyq.content.models import ItemProgress

    tables = ", ".join(f'"{m._meta.db_table}"' for m in (AttemptQuestion, Attempt, AttemptEvent, ItemProgress))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {tables}")
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=int(os.environ.get("EXAM_STUDENTS", "500")))
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--time-limit", type=int, default=30)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--gradebook", action="store_true", help="the test is the course's exam (see above)")
    args = parser.parse_args()
    if args.count > args.questions:
        parser.error("--count must not exceed --questions")
    setup_django()
    world = build(args)
    vacuum()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(world, indent=2))
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
