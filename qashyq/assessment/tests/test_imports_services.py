"""Import of question files (prepare → confirm, all or nothing) and export of a bank."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qashyq.assessment.formats import registry
from qashyq.assessment.formats.common import ParsedImage, ParsedQuestion, ParseResult, Problem
from qashyq.assessment.models import Category, Image, ImportJob, Question, QuestionVersion
from qashyq.assessment.rules import questions as rules
from qashyq.assessment.services import imports as services
from qashyq.assessment.tests.helpers import SAMPLES, exam_world, png_bytes
from qashyq.audit.models import Event

pytestmark = pytest.mark.django_db

KAZAKH_GOOD = """<question>Қазақстанның астанасы қай қала?
<variant>Астана
<variant>Алматы
<variant>Шымкент
<question2>2 + 2 = ?
<variant>4
<variant>5
<question3>Жай сандар?
<variantright>2
<variantright>3
<variant>4
"""
KAZAKH_BAD = KAZAKH_GOOD + "<question>Жалғыз нұсқа\n<variant>Бір\n"


@pytest.fixture
def world():
    return exam_world()


def counts():
    return (Question.objects.count(), QuestionVersion.objects.count(), Category.objects.count(), Image.objects.count())


# --- detection --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("a.txt", b"<question>Q\n<variant>A\n<variant>B\n", "kazakh"),
        ("a.TXT", b"What?\nA) one\nB) two\nANSWER: A\n", "aiken"),
        ("a.txt", b"::Q1:: 2+2? {=4 ~5}\n", "gift"),
        ("a.txt", b"$CATEGORY: top/x\n\nQ {T}\n", "gift"),
        ("a.txt", b"plain text", "kazakh"),
        ("a.gift", b"anything", "gift"),
        ("a.docx", b"PK\x03\x04", "kazakh"),
        ("a.xml", b'<?xml version="1.0"?>\n<!-- c --><quiz><question/></quiz>', "moodle_xml"),
        ("a.xml", b'<?xml version="1.0"?><qti:assessmentItem xmlns:qti="x"/>', "qti"),
        ("a.xml", b"<html/>", ""),
        ("a.zip", b"PK\x03\x04", "qti"),
        ("a.pdf", b"%PDF", ""),
    ],
)
def test_detect(filename, content, expected):
    assert registry.detect(filename, content) == expected


def test_registry_refuses_unknown_formats():
    result = registry.parse("drawing", b"x", filename="x.bin")
    assert [p.line for p in result.problems] == [0]
    assert not result.questions
    with pytest.raises(ValueError, match="kazakh"):
        registry.write("kazakh", [], bank_name="x")


# --- the Kazakh format, end to end -------------------------------------------------------------------


def test_prepare_shows_problems_and_saves_nothing(world):
    before = counts()
    preview = services.import_prepare(
        actor=world.teacher, bank=world.bank, filename="midterm.txt", content=KAZAKH_BAD.encode()
    )
    assert preview.fmt == "kazakh"
    assert not preview.ok
    assert [(p.file, p.line) for p in preview.problems] == [("midterm.txt", 12)]
    assert counts() == before
    with pytest.raises(ValidationError) as caught:
        services.import_confirm(actor=world.teacher, bank=world.bank, token=preview.token)
    assert "line 12" in caught.value.messages[0]
    assert counts() == before
    assert not Event.objects.filter(action="assessment.import").exists()
    assert ImportJob.objects.filter(token=preview.token).exists()  # still there to look at


def test_prepare_then_confirm(world):
    preview = services.import_prepare(
        actor=world.teacher,
        bank=world.bank,
        filename="midterm.txt",
        content=KAZAKH_GOOD.encode(),
        difficulty_tags=True,
        category="Midterm 1",
    )
    assert preview.ok
    assert preview.count == 3
    assert [q.difficulty for q in preview.questions] == [1, 2, 3]
    before = Question.objects.count()
    assert services.import_confirm(actor=world.teacher, bank=world.bank, token=preview.token) == 3
    new = list(Question.objects.filter(pk__gt=max(q.pk for q in world.questions.values())).order_by("pk"))
    assert len(new) == 3
    assert Question.objects.count() == before + 3
    assert [(q.type, q.difficulty, q.category.path, q.current.number) for q in new] == [
        ("single", 1, "Midterm 1", 1),
        ("single", 2, "Midterm 1", 1),
        ("multiple", 3, "Midterm 1", 1),
    ]
    assert new[0].current.stem == "Қазақстанның астанасы қай қала?"
    assert new[0].current.data["options"][0] == {"id": "a", "text": "Астана", "fraction": 1.0, "feedback": ""}
    assert all(q.current.question_id == q.pk for q in new)
    assert new[2].fingerprint == rules.fingerprint("multiple", new[2].current.stem, new[2].current.data)
    (event,) = Event.objects.filter(action="assessment.import")
    assert event.after["count"] == 3
    assert event.after["file"] == "midterm.txt"
    assert event.after["format"] == "kazakh"
    assert not ImportJob.objects.exists()
    # the token is used up
    with pytest.raises(ValidationError) as caught:
        services.import_confirm(actor=world.teacher, bank=world.bank, token=preview.token)
    assert "token" in caught.value.message_dict


def test_difficulty_tags_off(world):
    preview = services.import_prepare(
        actor=world.teacher, bank=world.bank, filename="m.txt", content=KAZAKH_GOOD.encode(), difficulty_tags=False
    )
    assert [q.difficulty for q in preview.questions] == [1, 1, 1]


def test_duplicates_of_the_bank_are_problems(world):
    first = services.import_prepare(
        actor=world.teacher, bank=world.bank, filename="m.txt", content=KAZAKH_GOOD.encode()
    )
    services.import_confirm(actor=world.teacher, bank=world.bank, token=first.token)
    again = services.import_prepare(
        actor=world.teacher, bank=world.bank, filename="m.txt", content=KAZAKH_GOOD.encode()
    )
    assert not again.ok
    assert sorted(again.duplicates) == [0, 1, 2]
    assert [p.line for p in again.problems] == [1, 5, 8]
    assert "The bank already has this question" in again.problems[0].reason


def test_prepare_refusals(world, settings):
    with pytest.raises(ValidationError) as caught:
        services.import_prepare(actor=world.teacher, bank=world.bank, filename="a.txt", content=b"")
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.import_prepare(
            actor=world.teacher, bank=world.bank, filename="a.txt", content=b"x" * (services.MAX_BYTES + 1)
        )
    assert "20" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.import_prepare(actor=world.teacher, bank=world.bank, filename="a.pdf", content=b"%PDF-1.4")
    with pytest.raises(ValidationError) as caught:
        services.import_prepare(actor=world.teacher, bank=world.bank, filename="a.txt", content=b"x", fmt="drawing")
    assert "fmt" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.import_prepare(actor=world.tutor, bank=world.bank, filename="a.txt", content=KAZAKH_GOOD.encode())
    with pytest.raises(PermissionDenied):
        services.import_confirm(actor=world.admin, bank=world.bank, token="x")
    assert not ImportJob.objects.exists()


def test_confirm_with_a_token_of_another_bank(world):
    from qashyq.assessment.models import Bank

    other = Bank.objects.create(discipline=world.discipline, name="Other", created_by=world.teacher)
    preview = services.import_prepare(actor=world.teacher, bank=other, filename="m.txt", content=KAZAKH_GOOD.encode())
    with pytest.raises(ValidationError):
        services.import_confirm(actor=world.teacher, bank=world.bank, token=preview.token)


# --- a fake format: images, topics, every type --------------------------------------------------------


@pytest.fixture
def fake_format(monkeypatch):
    """A parser returning what `parsed` holds (as a format module would)."""
    parsed: dict[str, ParseResult] = {}

    def fake_parse(fmt, content, *, filename, **options):
        return parsed["result"]

    monkeypatch.setattr(registry, "parse", fake_parse)
    return parsed


def test_confirm_stores_images_and_topics_for_every_type(world, fake_format):
    image = ParsedImage(name="fig.png", content=png_bytes(), content_type="image/png")
    questions = []
    for line, (qtype, (stem, data)) in enumerate(SAMPLES.items(), start=1):
        questions.append(
            ParsedQuestion(
                type=qtype,
                stem=f'<p>{stem} (imported)</p><img src="image:fig.png" alt="Figure">',
                data=data,
                line=line * 10,
                category="Imported/Deep" if line % 2 else "",
                difficulty=2,
                points=Decimal("1.5"),
                images=[image],
            )
        )
    fake_format["result"] = ParseResult(questions=questions)
    preview = services.import_prepare(actor=world.teacher, bank=world.bank, filename="x.gift", content=b"x")
    assert preview.ok, preview.problems
    assert services.import_confirm(actor=world.teacher, bank=world.bank, token=preview.token) == len(SAMPLES)
    (stored,) = Image.objects.filter(bank=world.bank)  # one file, used by every question
    assert stored.name == "fig.png"
    assert stored.content_type == "image/png"
    imported = Question.objects.filter(current__stem__contains="(imported)").select_related("current", "category")
    assert imported.count() == len(SAMPLES)
    for question in imported:
        assert rules.image_ids_in_html(question.current.stem) == {stored.pk}
        assert question.current.points == Decimal("1.50")
        assert question.difficulty == 2
    assert {q.category.path if q.category else "" for q in imported} == {"Imported/Deep", ""}
    assert Category.objects.filter(bank=world.bank, path="Imported").exists()


def test_a_bad_question_from_the_parser_is_a_problem(world, fake_format):
    fake_format["result"] = ParseResult(
        questions=[
            ParsedQuestion(type="single", stem="Q", data={"options": []}, line=3),
            ParsedQuestion(type="true_false", stem="T", data={"answer": True}, line=9, difficulty=5),
        ],
        warnings=[Problem(file="x.gift", line=1, reason="just so")],
    )
    preview = services.import_prepare(actor=world.teacher, bank=world.bank, filename="x.gift", content=b"x")
    assert [(p.line, p.reason) for p in preview.problems] == [
        (3, "A choice question needs at least two answer options; it has 0."),
        (3, "The question has no correct answer."),
        (9, "The difficulty must be 1 (simple), 2 (medium) or 3 (hard)."),
    ]
    assert [w.reason for w in preview.warnings] == ["just so"]
    before = counts()
    with pytest.raises(ValidationError):
        services.import_confirm(actor=world.teacher, bank=world.bank, token=preview.token)
    assert counts() == before


def test_missing_image_is_a_warning(world, fake_format):
    fake_format["result"] = ParseResult(
        questions=[
            ParsedQuestion(type="true_false", stem='T <img src="image:gone.png" alt="">', data={"answer": True}, line=2)
        ]
    )
    preview = services.import_prepare(actor=world.teacher, bank=world.bank, filename="x.gift", content=b"x")
    assert preview.ok
    assert [w.line for w in preview.warnings] == [2]


def test_empty_file_is_a_problem(world, fake_format):
    fake_format["result"] = ParseResult()
    preview = services.import_prepare(actor=world.teacher, bank=world.bank, filename="x.gift", content=b"x")
    assert [p.reason for p in preview.problems] == ["The file holds no questions."]


# --- export -------------------------------------------------------------------------------------------


def _with_image(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qashyq.assessment.services.banks import image_store, question_create

    image = image_store(actor=world.teacher, bank=world.bank, upload=SimpleUploadedFile("pic.png", png_bytes()))
    question = question_create(
        actor=world.teacher,
        bank=world.bank,
        qtype="true_false",
        stem=f'<p>Look</p><img src="/assessment/images/{image.pk}/" alt="pic">',
        data={"answer": True},
    )
    return image, question


def test_export_questions_rewrites_images(world):
    _image, question = _with_image(world)
    world.questions["essay"].archived = True
    world.questions["essay"].save()
    exported = {q.id: q for q in services.export_questions(bank=world.bank)}
    assert world.questions["essay"].pk not in exported
    assert len(exported) == len(SAMPLES)
    mine = exported[question.pk]
    assert mine.stem == '<p>Look</p><img src="image:pic.png" alt="pic">'
    assert [(i.name, i.content_type, i.content) for i in mine.images] == [("pic.png", "image/png", png_bytes())]
    assert exported[world.questions["single"].pk].category == "Algorithms"


@pytest.mark.parametrize(("fmt", "extension"), [("gift", "gift.txt"), ("moodle_xml", "xml"), ("qti", "zip")])
def test_bank_export(world, fmt, extension):
    content, content_type, filename = services.bank_export(bank=world.bank, fmt=fmt)
    assert filename.endswith("." + extension)
    assert content
    assert content_type == registry.FORMATS[fmt].content_type
    if fmt == "qti":
        assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_export_round_trip_through_gift_keeps_the_questions(world):
    """Export → import into an empty bank gives the same questions (the types GIFT carries)."""
    from qashyq.assessment.models import Bank

    content, _type, filename = services.bank_export(bank=world.bank, fmt="gift")
    empty = Bank.objects.create(discipline=world.discipline, name="Copy", created_by=world.teacher)
    preview = services.import_prepare(actor=world.teacher, bank=empty, filename=filename, content=content)
    assert preview.fmt == "gift"
    carried = world.bank.questions.exclude(type="ordering").select_related("current")
    fingerprints = {rules.fingerprint(q.type, q.current.stem, q.current.data) for q in carried}
    got = {rules.fingerprint(q.type, q.stem, q.data) for q in preview.questions}
    assert fingerprints == got


def test_export_warnings_and_refusal(world):
    warnings = services.export_warnings(bank=world.bank, fmt="gift")
    assert any("ordering" in w for w in warnings)
    # Moodle XML carries every type; what Moodle itself would read differently is said.
    moodle = services.export_warnings(bank=world.bank, fmt="moodle_xml")
    assert len(moodle) == 2
    assert any("partial-credit rule is kept for Qashyq only" in w for w in moodle)
    assert any("qtype_ordering" in w for w in moodle)
    with pytest.raises(ValidationError):
        services.bank_export(bank=world.bank, fmt="kazakh")
