"""Server time of the TV schedule and of a student's calendar (target: well under 100 ms, fixed query counts).

    .venv/bin/python benchmarks/content_broadcasts.py [--courses 10] [--items 300] [--broadcasts 2000] [--runs 30]

Runs against a throw-away SQLite database in a temporary directory (nothing of var/ is touched). Benchmark data,
written with bulk_create (no audit): `--courses` courses of `--items` published items each, some of them with
an opening and a closing date in one month (every `--dated-every`-th item); `--broadcasts` broadcasts over a year
on 5 channels, every `--month-every`-th in that month. One student is enrolled in every course. Each page is
requested `--runs` times through Django's test client (the whole request: middleware, session, rendering) after
one warm-up request; printed are the median and 95th percentile of the wall time, the median CPU time of the
process (steadier on a busy machine) and the number of queries:

- "My calendar" of the student for the busy month (the broadcasts and the opening and closing dates of all
  their courses);
- the schedule of the administration service: upcoming broadcasts (page of 50), and all of the busy month;
- `content.api.broadcasts_for` for the student and the month.
"""

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--courses", type=int, default=10)
    parser.add_argument("--items", type=int, default=300, help="published items per course")
    parser.add_argument("--broadcasts", type=int, default=2000)
    parser.add_argument("--dated-every", type=int, default=30, help="every n-th item has dates in the month")
    parser.add_argument("--month-every", type=int, default=20, help="every n-th broadcast is in the month")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    harness.throwaway_django("qashyq-broadcast-bench-")
    from django.conf import settings
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]

    from qashyq.academics.tests.factories import AcademicPeriodFactory
    from qashyq.accounts.tests.factories import UserFactory
    from qashyq.content import api as content_api
    from qashyq.content.data import EnrolmentSource, ItemKind
    from qashyq.content.models import Broadcast, Enrolment, Item, ItemVersion, Section
    from qashyq.content.tests.factories import CourseFactory, enrolled_student

    zone = timezone.get_default_timezone()
    now = timezone.now()
    month_start = (timezone.localtime(now, zone) + timedelta(days=40)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    started = time.perf_counter()
    period = AcademicPeriodFactory()
    student_user = UserFactory(roles=["student"], language="kk")
    admin = UserFactory(roles=["administration"], language="kk")
    author = UserFactory(roles=["teacher"])
    courses = [
        CourseFactory(period=period, code=f"BENCH-{n:03d}", name_kk=f"Курс {n}", created_by=author)
        for n in range(args.courses)
    ]
    student = enrolled_student(courses[0], user=student_user).student
    Enrolment.objects.bulk_create(
        [Enrolment(course=c, student=student, source=EnrolmentSource.GROUP) for c in courses[1:]]
    )
    for c in courses:
        sections = Section.objects.bulk_create([Section(course=c, position=s, name_kk=f"{s}-апта") for s in range(15)])
        items = Item.objects.bulk_create(
            [
                Item(
                    course=c,
                    section=sections[i % 15],
                    position=i,
                    kind=ItemKind.PAGE,
                    activity="independent",
                    name_kk=f"{i + 1}-сабақ",
                    body="<p>" + "Мәтін. " * 200 + "</p>",
                    draft_changed=False,
                )
                for i in range(args.items)
            ]
        )
        versions = []
        for i, item in enumerate(items):
            dated = i % args.dated_every == 0
            opens = month_start + timedelta(days=i % 28, hours=9)
            versions.append(
                ItemVersion(
                    item=item,
                    number=1,
                    published_by=author,
                    data={
                        "name_kk": item.name_kk,
                        "name_ru": "",
                        "name_en": "",
                        "kind": "page",
                        "body": item.body,
                        "available_from": opens.isoformat() if dated else None,
                        "available_until": (opens + timedelta(days=7)).isoformat() if dated else None,
                    },
                )
            )
        versions = ItemVersion.objects.bulk_create(versions)
        for item, version in zip(items, versions, strict=True):
            item.live_version = version
        Item.objects.bulk_update(items, ["live_version"])
    channels = ("Хабар", "Qazaqstan", "El Arna", "Jibek Joly", "Astana TV")
    year_start = month_start - timedelta(days=180)
    broadcasts = []
    for n in range(args.broadcasts):
        if n % args.month_every == 0:
            slot = n // args.month_every
            starts = month_start + timedelta(days=slot % 28, hours=8 + (slot // 28) % 12)
        else:
            starts = year_start + timedelta(hours=n * 4)
        broadcasts.append(
            Broadcast(
                course=courses[n % len(courses)],
                channel=channels[n % len(channels)],
                starts_at=starts,
                duration_minutes=45,
                name_kk=f"Эфир {n}",
                created_by=admin,
            )
        )
    Broadcast.objects.bulk_create(broadcasts)
    print(f"Data made in {time.perf_counter() - started:.1f} s: {args.courses} courses × {args.items} items, "
          f"{args.broadcasts} broadcasts.")  # fmt: skip
    print(harness.load_line())

    def measure(label: str, call: Callable[[], object]) -> None:
        harness.measure(label, args.runs, call, queries=True, width=46)

    month = month_start.strftime("%Y-%m")
    as_student = harness.client_for(student_user)
    # The administration service must have a second factor.
    as_admin = harness.client_for(admin, second_factor=True)

    def page(client: Any, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    from qashyq.content.selectors import broadcasts as selectors

    bounds = selectors.month_bounds(month_start.year, month_start.month)
    shown = selectors.calendar_entries(course_ids=[c.pk for c in courses], start=bounds[0], end=bounds[1], now=now)
    entries = len(shown)
    print(f"The calendar of {month} shows {entries} entries on {len(selectors.calendar_days(shown))} days.")
    measure(f"My calendar ({entries} entries)", lambda: page(as_student, f"/content/calendar/?month={month}"))
    measure("TV schedule: upcoming (page of 50)", lambda: page(as_admin, "/content/broadcasts/"))
    end = (month_start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    month_url = f"/content/broadcasts/?when=all&start={month_start.date()}&end={end.date()}"
    measure("TV schedule: all of the month (page of 50)", lambda: page(as_admin, month_url))
    start_at = datetime.combine(month_start.date(), datetime.min.time(), tzinfo=zone)
    measure(
        "content.api.broadcasts_for (a month)",
        lambda: content_api.broadcasts_for(student_id=student.pk, start=start_at, end=start_at + timedelta(days=31)),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
