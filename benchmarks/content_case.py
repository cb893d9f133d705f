"""How long a case package of a 300-item course takes to build (target, issue 4: < 20 s, in a background task).

    .venv/bin/python benchmarks/content_case.py [--items 300] [--runs 3] [--video-mb 5]

Runs against a throw-away SQLite database and media folder in a temporary directory (nothing of var/ is
touched). The course has 15 sections of 20 published items: 60 % pages of real-looking Kazakh text (headings,
lists, a table, a formula; every tenth with an image), 13 % PDF files (400 KiB each), 10 % videos (`--video-mb`
each, with a 60-cue WebVTT captions track and a transcript), 7 % assignments, the rest links and audio. Each run
builds a new package with `services.delivery.case_package_build` exactly as the Celery task does (progress
written as it goes, the ZIP stored, the audit event recorded) and prints the wall-clock and CPU time of the
build, the time spent on the PDF alone, the PDF's pages and the ZIP's size.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

TARGET_SECONDS = 20.0

TEXT = (
    "Деректер қоры — белгілі бір пәндік аймақтың ақпаратын сақтауға арналған құрылымдалған жинақ. "
    "Реляциялық модельде деректер кестелерде сақталады, әр кестенің жолдары мен бағандары бар. "
    "Әріптер: ә ғ қ ң ө ұ ү һ і. Сұраныстар SQL тілінде жазылады, ал тұтастық шектеулері деректердің дұрыстығын "
    "қамтамасыз етеді. Қалыпқа келтіру артық деректерді азайтады және жаңарту аномалияларын болдырмайды. "
)


def page_body(n: int, image_id: str | None) -> str:
    parts = [f"<h2>Тақырып {n}</h2>"]
    parts += [f"<p>{TEXT * 2}</p>" for _ in range(3)]
    parts.append("<ul>" + "".join(f"<li>{i}-тармақ: кесте, жол, баған, кілт</li>" for i in range(1, 6)) + "</ul>")
    parts.append(
        "<table><thead><tr><th scope='col'>Ұғым</th><th scope='col'>Анықтама</th></tr></thead><tbody>"
        + "".join(f"<tr><td>Ұғым {i}</td><td>{TEXT[:120]}</td></tr>" for i in range(1, 5))
        + "</tbody></table>"
    )
    parts.append(r"<p>Формула: \(\sum_{i=1}^{n} i = \frac{n(n+1)}{2}\)</p>")
    if image_id:
        parts.append(f'<p><img src="/content/files/{image_id}/" alt="Сызба {n}"></p>')
    return "".join(parts)


def captions(cues: int = 60) -> bytes:
    lines = ["WEBVTT", ""]
    for i in range(cues):
        lines += [
            f"00:{i // 60:02d}:{i % 60:02d}.000 --> 00:{i // 60:02d}:{i % 60:02d}.900",
            f"{i}-сөйлем: {TEXT[:80]}",
            "",
        ]
    return "\n".join(lines).encode()


def pdf_pages(pdf: bytes, workdir: Path) -> str:
    """The number of pages (poppler's pdfinfo, when installed: WeasyPrint compresses its object streams)."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return "?"
    path = workdir / "course.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return found.group(1) if found else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300, help="published items (default 300)")
    parser.add_argument("--runs", type=int, default=3, help="timed builds (default 3)")
    parser.add_argument("--video-mb", type=float, default=5.0, help="size of each video (default 5 MB)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qashyq-case-bench-"))
    try:
        return run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> int:
    harness.throwaway_django(workdir=workdir)

    from qashyq.content.data import AssetPurpose, ItemKind
    from qashyq.content.models import CasePackage, ItemTrack
    from qashyq.content.services import delivery
    from qashyq.content.storage import store_bytes
    from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory
    from qashyq.content.tests.files_helpers import PDF, png, publish

    course = CourseFactory(code="BENCH-300", name_kk="Деректер қоры: толық курс", language="kk")
    author = course.created_by
    video_bytes = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(int(args.video_mb * 1024 * 1024))
    pdf_bytes = PDF + os.urandom(400 * 1024)
    image_bytes = png() + os.urandom(30 * 1024)
    vtt = captions()
    sections = [SectionFactory(course=course, position=n, name_kk=f"{n}-апта. Тақырып {n}") for n in range(1, 16)]
    per_section = -(-args.items // len(sections))

    def stored(name: str, data: bytes, purpose: str, content_type: str):
        return store_bytes(data=data, name=name, purpose=purpose, actor=author, content_type=content_type)

    started = time.perf_counter()
    for n in range(args.items):
        section = sections[n // per_section]
        slot = n % 30
        name = f"{n + 1}-сабақ"
        if slot < 18:  # pages
            image = stored(f"s{n}.png", image_bytes, AssetPurpose.IMAGE, "image/png") if n % 10 == 0 else None
            body = page_body(n + 1, str(image.pk) if image else None)
            item = ItemFactory(section=section, position=n, kind=ItemKind.PAGE, name_kk=name, body=body)
            publish(item, author, body=body, images=[str(image.pk)] if image else [], minutes=30)
        elif slot < 22:  # files
            pdf = stored(f"{n}-оқулық.pdf", pdf_bytes, AssetPurpose.FILE, "application/pdf")
            item = ItemFactory(section=section, position=n, kind=ItemKind.FILE, name_kk=name, asset=pdf)
            publish(item, author, asset=pdf, body=f"<p>{TEXT}</p>")
        elif slot < 25:  # videos with captions and a transcript
            video = stored(f"{n}-бейне.mp4", video_bytes, AssetPurpose.VIDEO, "video/mp4")
            track = stored(f"{n}.vtt", vtt, AssetPurpose.CAPTIONS, "text/vtt")
            transcript = stored(f"{n}.txt", (TEXT * 10).encode(), AssetPurpose.TRANSCRIPT, "text/plain")
            item = ItemFactory(section=section, position=n, kind=ItemKind.VIDEO, name_kk=name, asset=video)
            ItemTrack.objects.create(item=item, language="kk", asset=track)
            publish(item, author, asset=video, transcript=transcript, tracks=[track], body=f"<p>{TEXT}</p>")
        elif slot < 27:  # assignments
            item = ItemFactory(section=section, position=n, kind=ItemKind.ASSIGNMENT, name_kk=name)
            publish(item, author, body=f"<p>{TEXT * 3}</p><ol><li>Кестені құрыңыз.</li><li>Сұраныс жазыңыз.</li></ol>")
        elif slot < 29:  # links
            item = ItemFactory(section=section, position=n, kind=ItemKind.LINK, name_kk=name, url="https://egov.kz/")
            publish(item, author, url="https://egov.kz/", body=f"<p>{TEXT}</p>")
        else:  # audio with captions
            audio = stored(f"{n}.mp3", b"ID3\x03" + os.urandom(300 * 1024), AssetPurpose.AUDIO, "audio/mpeg")
            track = stored(f"{n}a.vtt", vtt, AssetPurpose.CAPTIONS, "text/vtt")
            item = ItemFactory(section=section, position=n, kind=ItemKind.AUDIO, name_kk=name, asset=audio)
            publish(item, author, asset=audio, tracks=[track])
    print(f"Course of {args.items} published items made in {time.perf_counter() - started:.1f} s.")
    print(harness.load_line())

    real_pdf = delivery._Builder.pdf
    pdf_times: list[float] = []

    def timed_pdf(self, context):
        t0 = time.perf_counter()
        result = real_pdf(self, context)
        pdf_times.append(time.perf_counter() - t0)
        return result

    delivery._Builder.pdf = timed_pdf  # type: ignore[method-assign]

    walls, cpus = [], []
    for run in range(1, args.runs + 1):
        package = CasePackage.objects.create(course=course, requested_by=author)
        t0, c0 = time.perf_counter(), time.process_time()
        package = delivery.case_package_build(package_id=package.pk)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if package.status != "ready":
            print(f"run {run}: FAILED: {package.error}")
            return 1
        walls.append(wall)
        cpus.append(cpu)
        assert package.asset is not None
        import io
        import zipfile

        with package.asset.file.open("rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        pdf = archive.read("course.pdf")
        pages = pdf_pages(pdf, workdir)
        print(
            f"  run {run}: {wall:.1f} s wall, {cpu:.1f} s CPU (PDF {pdf_times[-1]:.1f} s, {pages} pages,"
            f" {len(pdf) / 1024 / 1024:.1f} MiB) | ZIP {package.asset.size / 1024 / 1024:.0f} MiB,"
            f" {len(archive.namelist())} entries"
        )
    worst = max(walls)
    print(
        f"Median {statistics.median(walls):.1f} s wall ({statistics.median(cpus):.1f} s CPU); slowest {worst:.1f} s:"
        f" target < {TARGET_SECONDS:.0f} s {'met' if worst < TARGET_SECONDS else 'NOT met'}."
    )
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
