"""Across the formats: a bank travels Moodle XML → QTI → GIFT and keeps every question, and every format names
the same problem with the same words (one msgid, translated once)."""

import copy
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from qashyq.assessment.formats import aiken, common, gift, kazakh, moodle_xml, qti
from qashyq.assessment.formats.common import ExportQuestion, ParsedQuestion, ParseResult
from qashyq.assessment.tests.helpers import SAMPLES


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _exported(parsed: Sequence[ParsedQuestion]) -> list[ExportQuestion]:
    """What a bank would give a writer after importing `parsed`."""
    return [
        ExportQuestion(
            id=number,
            type=question.type,
            name=question.name,
            stem=question.stem,
            data=copy.deepcopy(question.data),
            difficulty=question.difficulty,
            category=question.category,
            points=question.points,
            feedback=question.feedback,
            language=question.language,
            images=tuple(question.images),
        )
        for number, question in enumerate(parsed, start=1)
    ]


def _clean(result: ParseResult) -> list[ParsedQuestion]:
    assert result.problems == [], result.problems
    return result.questions


def _expected(qtype: str, data: dict[str, Any]) -> dict[str, Any]:
    """The sample's data as a reader gives it back: the optional fields filled in."""
    data = copy.deepcopy(data)
    if qtype == "true_false":
        data.setdefault("feedback_true", "")
        data.setdefault("feedback_false", "")
    return data


def test_samples_survive_moodle_xml_then_qti_then_gift():
    samples = [
        ParsedQuestion(type=qtype, stem=stem, data=copy.deepcopy(data), line=0, name=f"Q {qtype}")
        for qtype, (stem, data) in SAMPLES.items()
    ]
    assert len(samples) == 9

    from_moodle = _clean(moodle_xml.parse(moodle_xml.write(_exported(samples)), filename="bank.xml"))
    from_qti = _clean(qti.parse(qti.write(_exported(from_moodle)), filename="bank.zip"))
    without_ordering = [question for question in _exported(from_qti) if question.type != "ordering"]
    from_gift = _clean(gift.parse(gift.write(without_ordering), filename="bank.gift"))

    for step, parsed, types in (
        ("Moodle XML", from_moodle, list(SAMPLES)),
        ("QTI", from_qti, list(SAMPLES)),
        ("GIFT", from_gift, [qtype for qtype in SAMPLES if qtype != "ordering"]),
    ):
        assert [question.type for question in parsed] == types, step
        for question in parsed:
            stem, data = SAMPLES[question.type]
            assert question.data == _expected(question.type, data), (step, question.type)
            assert question.stem == stem, (step, question.type)
            assert question.name == f"Q {question.type}", (step, question.type)
            assert question.points == Decimal(1), (step, question.type)


# The same reasons in every format: one msgid each.
NO_RIGHT_ANSWER = "The question has no correct answer."
NO_TEXT = "The question has no text."
ONE_OPTION = "A choice question needs at least two answer options; it has 1."


def _moodle(text: str, answers: str) -> bytes:
    return (
        f'<quiz><question type="multichoice"><questiontext format="html"><text>{text}</text></questiontext>'
        f"<single>true</single>{answers}</question></quiz>"
    ).encode()


def _qti(text: str, choices: str, correct: str) -> bytes:
    return (
        '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i" title="i" '
        'adaptive="false" timeDependent="false">'
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        f"<correctResponse>{correct}</correctResponse></responseDeclaration>"
        f'<itemBody>{text}<choiceInteraction responseIdentifier="R" maxChoices="1">{choices}'
        "</choiceInteraction></itemBody></assessmentItem>"
    ).encode()


ANSWER = '<answer fraction="{fraction}"><text>{text}</text></answer>'
CHOICE = '<simpleChoice identifier="{id}">{text}</simpleChoice>'


@pytest.mark.parametrize(
    ("expected", "gift_text", "moodle_text", "qti_text"),
    [
        (
            NO_RIGHT_ANSWER,
            "Q?{~a ~b}",
            _moodle("Q?", ANSWER.format(fraction=0, text="a") + ANSWER.format(fraction=0, text="b")),
            _qti("<p>Q?</p>", CHOICE.format(id="a", text="a") + CHOICE.format(id="b", text="b"), ""),
        ),
        (
            NO_TEXT,
            "{=a ~b}",
            _moodle("", ANSWER.format(fraction=100, text="a") + ANSWER.format(fraction=0, text="b")),
            _qti("", CHOICE.format(id="a", text="a") + CHOICE.format(id="b", text="b"), "<value>a</value>"),
        ),
        (
            ONE_OPTION,
            "Q?{~%100%a}",
            _moodle("Q?", ANSWER.format(fraction=100, text="a")),
            _qti("<p>Q?</p>", CHOICE.format(id="a", text="a"), "<value>a</value>"),
        ),
        (
            "Answer option 2 is empty.",
            "Q?{=a ~}",
            _moodle("Q?", ANSWER.format(fraction=100, text="a") + ANSWER.format(fraction=0, text=" ")),
            _qti("<p>Q?</p>", CHOICE.format(id="a", text="a") + CHOICE.format(id="b", text=" "), "<value>a</value>"),
        ),
    ],
)
def test_every_format_gives_the_same_reason_for_the_same_problem(expected, gift_text, moodle_text, qti_text):
    results = {
        "gift": gift.parse(gift_text.encode(), filename="q.gift"),
        "moodle_xml": moodle_xml.parse(moodle_text, filename="q.xml"),
        "qti": qti.parse(qti_text, filename="q.xml"),
    }

    for fmt, result in results.items():
        assert [problem.reason for problem in result.problems] == [expected], fmt
    assert results["qti"].questions == []  # QTI leaves a question with a problem out; the others keep it to show
    assert len(results["gift"].questions) == len(results["moodle_xml"].questions) == 1


def test_the_plain_text_formats_use_the_shared_reasons_too():
    one_option = aiken.parse(b"Q?\nA. a\nANSWER: A\n", filename="q.txt")
    no_text = kazakh.parse(b"<question>\n<variant>a\n<variant>b\n", filename="q.txt")

    assert [problem.reason for problem in one_option.problems] == [ONE_OPTION]
    assert [problem.reason for problem in no_text.problems] == [NO_TEXT]


def test_question_problems_read_a_cloze_from_its_text_not_its_stem():
    data = copy.deepcopy(SAMPLES["cloze"][1])
    sound = ParsedQuestion(type="cloze", stem="", data=data, line=1)
    empty = ParsedQuestion(type="cloze", stem="Fill in.", data={**data, "text": " <p> </p> "}, line=1)
    bad_gap = copy.deepcopy(data)
    bad_gap["gaps"][2]["options"] = bad_gap["gaps"][2]["options"][:1]
    bad_gap["gaps"][0]["answers"][0]["fraction"] = 0.0

    assert common.question_problems(sound) == []
    assert common.question_problems(empty) == ["The text with the gaps is empty."]
    assert common.question_problems(ParsedQuestion(type="cloze", stem="", data=bad_gap, line=1)) == [
        "Gap 1: The question has no correct answer.",
        "Gap 3: A choice question needs at least two answer options; it has 1.",
    ]


def test_a_choice_without_options_is_named_once_and_an_image_is_content():
    no_options = ParsedQuestion(type="single", stem="Q?", data={"options": [], "partial": "all_or_nothing"}, line=1)
    picture = ParsedQuestion(type="true_false", stem='<img src="image:a.png" alt="">', data={"answer": True}, line=1)

    assert common.question_problems(no_options) == ["A choice question needs at least two answer options; it has 0."]
    assert common.question_problems(picture) == []


def test_duplicates_across_the_files_of_a_package_name_the_file():
    first = ParsedQuestion(type="true_false", stem="Snow is white.", data={"answer": True}, line=2)
    again = ParsedQuestion(type="true_false", stem=" snow is <b>WHITE</b>. ", data={"answer": False}, line=2)
    other = ParsedQuestion(type="true_false", stem="Snow is black.", data={"answer": False}, line=9)

    found = common.duplicates(
        [first, again, other, again], "p.zip", files=["p.zip/a.xml", "p.zip/b.xml", "p.zip/a.xml", "p.zip/a.xml"]
    )

    assert [(problem.file, problem.line, problem.reason) for problem in found] == [
        ("p.zip/b.xml", 2, "Duplicate of the question in p.zip/a.xml."),
        ("p.zip/a.xml", 2, "Duplicate of the question on line 2."),
    ]
