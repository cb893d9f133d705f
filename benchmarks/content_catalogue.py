"""Server time of the didactic catalogue, the e-UMK pages and the coverage report (target: well under 100 ms,
fixed query counts).

    .venv/bin/python benchmarks/content_catalogue.py [--disciplines 400] [--resources 5000] [--curriculum 60]
                                                     [--items 300] [--runs 30]

Runs against a throw-away SQLite database in a temporary directory (nothing of var/ is touched). Benchmark data,
written with bulk_create (no audit): `--disciplines` disciplines; `--resources` catalogue entries, each linked to
two disciplines; a programme whose curriculum holds `--curriculum` of the disciplines over 8 periods; an e-UMK of
the current year for every discipline (a third approved, a third under review, a third incomplete) with 10
materials each; one discipline's course with `--items` items (all offered on its e-UMK page, which is measured as
the didactic-means service sees it: editable, with the list of what may be linked). Each page is requested `--runs`
times through Django's test client (the whole request: middleware, session, rendering) after one warm-up request;
printed are the median and 95th percentile of the wall time, the median CPU time of the process (steadier on a
busy machine) and the number of queries:

- the catalogue: first page (50 of all), a Cyrillic title search, one discipline's resources;
- the e-UMK list (page of 50 of the current year); one e-UMK page with `--items` items to choose from;
- the coverage report of the programme, its XLSX export, `content.api.eumk_coverage` and `content.api.eumk_missing`.
"""

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--disciplines", type=int, default=400)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--curriculum", type=int, default=60, help="disciplines in the programme's curriculum")
    parser.add_argument("--items", type=int, default=300, help="items of the measured e-UMK's course")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", type=int, default=0, help="profile the n-th case (1-9) with cProfile instead")
    args = parser.parse_args()

    harness.throwaway_django("qashyq-catalogue-bench-")
    from django.conf import settings
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]

    from qashyq.academics.models import AcademicPeriod, AcademicYear, CurriculumEntry, Discipline, Programme
    from qashyq.accounts.tests.factories import UserFactory
    from qashyq.content import api as content_api
    from qashyq.content.data import EumkStatus
    from qashyq.content.models import (
        Course,
        CourseStaff,
        DidacticResource,
        Eumk,
        EumkComponentType,
        EumkLink,
        Item,
        Section,
    )

    started = time.perf_counter()
    today = timezone.localdate()
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    year = AcademicYear.objects.create(
        title=f"{start.year}–{start.year + 1}", start_date=start, end_date=date(start.year + 1, 8, 31)
    )
    period = AcademicPeriod.objects.create(
        year=year, kind="semester", number=1, start_date=start, end_date=start + timedelta(days=120)
    )
    didactics = UserFactory(roles=["didactics"], language="kk")
    teacher = UserFactory(roles=["teacher"], language="kk")
    subjects = ("Информатика", "Математика", "Физика", "Тарих", "Экономика", "Құқық", "Химия", "Биология")
    disciplines = Discipline.objects.bulk_create(
        [
            Discipline(code=f"D{n:04d}", name_kk=f"{subjects[n % 8]} {n}", name_ru=f"Дисциплина {n}", credits=5)
            for n in range(args.disciplines)
        ]
    )
    kinds = ("e_textbook", "multimedia_course", "methodological_aid", "control_materials")
    media = ("network", "cd", "dvd", "local")
    resources = DidacticResource.objects.bulk_create(
        [
            DidacticResource(
                name_kk=f"{subjects[n % 8]} оқулығы {n}",
                name_ru=f"Учебник {n}",
                kind=kinds[n % 4],
                origin="developed" if n % 3 else "acquired",
                media=media[n % 4],
                status="in_use" if n % 5 else "in_development",
                authors=f"Автор {n % 97}",
                year=2000 + n % 27,
                url=f"https://library.example.kz/{n}",
                created_by=didactics,
            )
            for n in range(args.resources)
        ]
    )
    through = DidacticResource.disciplines.through
    through.objects.bulk_create(
        [
            through(didacticresource_id=r.pk, discipline_id=disciplines[(i + k * 7) % len(disciplines)].pk)
            for i, r in enumerate(resources)
            for k in range(2)
        ]
    )
    programme = Programme.objects.create(code="6B06101", name_kk="Ақпараттық жүйелер", level="bachelor")
    CurriculumEntry.objects.bulk_create(
        [
            CurriculumEntry(
                programme=programme,
                discipline=d,
                period_number=1 + n % 8,
                credits=5,
                cycle="basic",
                component="compulsory",
                final_control="exam",
            )
            for n, d in enumerate(disciplines[: args.curriculum])
        ]
    )
    statuses = (EumkStatus.APPROVED, EumkStatus.UNDER_REVIEW, EumkStatus.INCOMPLETE)
    eumks = Eumk.objects.bulk_create(
        [
            Eumk(
                discipline=d,
                year=year,
                status=statuses[n % 3],
                approved_on=today if n % 3 == 0 else None,
                approved_by=didactics if n % 3 == 0 else None,
                created_by=didactics,
            )
            for n, d in enumerate(disciplines)
        ]
    )
    components = list(EumkComponentType.objects.order_by("position"))
    by_discipline: dict[int, list[int]] = {}
    for resource_id, discipline_id in through.objects.values_list("didacticresource_id", "discipline_id"):
        by_discipline.setdefault(discipline_id, []).append(resource_id)
    links = []
    for eumk in eumks:
        own = by_discipline.get(eumk.discipline_id, [])
        for k in range(min(10, len(own))):
            links.append(EumkLink(eumk=eumk, component=components[k % len(components)], resource_id=own[k]))
    EumkLink.objects.bulk_create(links)
    measured = disciplines[0]
    course = Course.objects.create(
        code="D0000-26", discipline=measured, period=period, name_kk="Информатика", created_by=teacher
    )
    CourseStaff.objects.create(course=course, user=teacher, role="teacher")
    sections = Section.objects.bulk_create([Section(course=course, position=s, name_kk=f"{s}-апта") for s in range(15)])
    Item.objects.bulk_create(
        [
            Item(
                course=course,
                section=sections[i % 15],
                position=i,
                kind="page",
                activity="independent",
                name_kk=f"{i + 1}-сабақ",
                body="<p>Мәтін</p>",
            )
            for i in range(args.items)
        ]
    )
    print(
        f"Data made in {time.perf_counter() - started:.1f} s: {args.disciplines} disciplines, {args.resources} "
        f"resources, {len(eumks)} e-UMKs with {len(links)} materials, a curriculum of {args.curriculum}, "
        f"{args.items} items to choose from."
    )
    print(harness.load_line())

    case_number = iter(range(1, 100))

    def measure(label: str, call: Callable[[], object]) -> None:
        if not args.profile:
            harness.measure(label, args.runs, call, queries=True)
        elif next(case_number) == args.profile:
            harness.profile(label, call)

    client = harness.client_for(didactics)

    def page(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    measure(f"Catalogue, first page (of {args.resources})", lambda: page("/content/catalogue/"))
    measure("Catalogue, title search “информатика”", lambda: page("/content/catalogue/?q=информатика"))
    measure("Catalogue, one discipline", lambda: page(f"/content/catalogue/?discipline={measured.pk}"))
    measure(f"e-UMK list, page of 50 (of {len(eumks)})", lambda: page("/content/eumk/"))
    eumk = next(e for e in eumks if e.discipline_id == measured.pk)
    Eumk.objects.filter(pk=eumk.pk).update(status=EumkStatus.INCOMPLETE)
    measure(f"e-UMK page, editable, {args.items} items offered", lambda: page(f"/content/eumk/{eumk.pk}/"))
    query = f"?programme={programme.pk}&year={year.pk}"
    measure(f"Coverage report ({args.curriculum} disciplines)", lambda: page(f"/content/eumk/coverage/{query}"))
    measure("Coverage export (XLSX)", lambda: page(f"/content/eumk/coverage/export/{query}"))
    measure("content.api.eumk_coverage (current year)", lambda: content_api.eumk_coverage(programme_id=programme.pk))
    ids = [d.pk for d in disciplines[: args.curriculum]]
    measure(
        f"content.api.eumk_missing ({len(ids)} disciplines)",
        lambda: content_api.eumk_missing(discipline_ids=ids, year_id=year.pk),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
