"""Moodle's Aiken format. Pure: no database."""

import pytest

from qashyq.assessment.formats import aiken
from qashyq.assessment.formats.common import ParsedQuestion, Problem

FILE = "quiz.txt"


def parse(text: str):
    return aiken.parse(text.encode(), filename=FILE)


def reasons(result):
    return [(problem.line, problem.reason) for problem in result.problems]


def texts(question):
    return [item["text"] for item in question.data["options"]]


def fractions(question):
    return [item["fraction"] for item in question.data["options"]]


def test_a_question_with_its_options_and_answer_has_the_rules_shape():
    # given both option styles, "A." and "B)"
    text = "What is the capital of Kazakhstan?\nA. Astana\nB) Almaty\nC. Shymkent\nANSWER: A\n"

    # when
    result = parse(text)

    # then
    assert result.ok
    assert result.questions == [
        ParsedQuestion(
            type="single",
            stem="What is the capital of Kazakhstan?",
            data={
                "options": [
                    {"id": "a", "text": "Astana", "fraction": 1.0, "feedback": ""},
                    {"id": "b", "text": "Almaty", "fraction": 0.0, "feedback": ""},
                    {"id": "c", "text": "Shymkent", "fraction": 0.0, "feedback": ""},
                ],
                "partial": "all_or_nothing",
            },
            line=1,
        )
    ]


def test_several_questions_blank_lines_crlf_and_multi_line_stems():
    text = (
        "\r\n1 + 1 = ?\r\nA) 1\r\nB) 2\r\nANSWER: B\r\n\r\n\r\n"
        "Read the text.\r\nThen: which is <b>bold</b> & why?\r\nA. this\r\nB. that\r\nC. none\r\nANSWER: c\r\n"
        "Last\nA. x\nB. y\nANSWER:A"
    )

    result = parse(text)

    assert result.ok
    first, second, third = result.questions
    assert (first.line, first.stem, fractions(first)) == (2, "1 + 1 = ?", [0.0, 1.0])
    assert second.line == 8
    assert second.stem == "Read the text.<br>Then: which is &lt;b&gt;bold&lt;/b&gt; &amp; why?"
    assert fractions(second) == [0.0, 0.0, 1.0]
    assert (third.line, fractions(third)) == (14, [1.0, 0.0])


def test_the_first_line_is_the_stem_even_when_it_looks_like_an_option():
    result = parse("A. Baitursynov created which alphabet?\nA. Tote zhazu\nB. Latin\nANSWER: A\n")

    [question] = result.questions
    assert question.stem == "A. Baitursynov created which alphabet?"
    assert texts(question) == ["Tote zhazu", "Latin"]


def test_cyrillic_twins_of_latin_letters_are_read_as_latin():
    # given А, В, С typed in Cyrillic (as Kazakh keyboards do), and ANSWER: С in Cyrillic
    result = parse("Астана қай жылы астана болды?\nА) 1997\nВ) 1991\nС) 2000\nD) 1995\nANSWER: А\n")

    assert result.ok
    [question] = result.questions
    assert texts(question) == ["1997", "1991", "2000", "1995"]
    assert fractions(question) == [1.0, 0.0, 0.0, 0.0]


def test_windows_1251_and_a_byte_order_mark():
    text = "Столица?\nA. Астана\nB. Алматы\nANSWER: A\n"

    cp1251 = aiken.parse(text.encode("cp1251"), filename=FILE)
    bom = aiken.parse(b"\xef\xbb\xbf" + text.encode(), filename=FILE)

    assert cp1251.ok
    assert bom.ok
    assert cp1251.questions == bom.questions
    assert cp1251.questions[0].stem == "Столица?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q?\nA. a\nB. b\n", [(1, "The question has no ANSWER line.")]),
        ("Q?\nA. a\nB. b\nNext?\nA. c\nB. d\nANSWER: B\n", [(1, "The question has no ANSWER line.")]),
        ("Q?\nA. a\nB. b\nANSWER: C\n", [(4, "ANSWER names option C, which the question does not have.")]),
        ("Q?\nA. a\nB. b\nANSWER: AB\n", [(4, "ANSWER must name one option letter, not “AB”.")]),
        ("Q?\nA. a\nB. b\nANSWER:\n", [(4, "ANSWER must name one option letter, not “”.")]),
        ("Q?\nA. a\nANSWER: A\n", [(1, "A choice question needs at least two answer options; it has 1.")]),
        (
            "Q?\nANSWER: A\n",
            [
                (1, "A choice question needs at least two answer options; it has 0."),
                (2, "ANSWER names option A, which the question does not have."),
            ],
        ),
        ("Q?\nA. a\nC. c\nANSWER: A\n", [(3, "Option letters are out of order: B was expected here, not C.")]),
        (
            "Q?\nB. a\nA. c\nANSWER: A\n",
            [
                (2, "Option letters are out of order: A was expected here, not B."),
                (3, "Option letters are out of order: B was expected here, not A."),
            ],
        ),
        ("Q?\nA. a\nB.\nANSWER: A\n", [(3, "Option B is empty.")]),
        ("ANSWER: A\nQ?\nA. a\nB. b\nANSWER: A\n", [(1, "An ANSWER line with no question before it.")]),
    ],
)
def test_every_problem_names_its_line_and_the_question_is_left_out(text, expected):
    # given a broken question followed by a good one
    result = parse(text + "\nGood?\nA. yes\nB. no\nANSWER: A\n")

    assert reasons(result) == expected
    assert [question.stem for question in result.questions][-1] == "Good?"
    assert all(problem.file == FILE for problem in result.problems)


def test_questions_with_problems_are_left_out():
    result = parse("Q?\nA. a\nANSWER: A\nGood?\nA. yes\nB. no\nANSWER: A\n")

    assert [question.stem for question in result.questions] == ["Good?"]


def test_duplicate_questions_name_the_first_one():
    text = "Capital?\nA. Astana\nB. Almaty\nANSWER: A\n\ncapital?  \nA. almaty\nB. ASTANA\nANSWER: B\n"

    result = parse(text)

    assert reasons(result) == [(6, "Duplicate of the question on line 1.")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "The file is empty."),
        (b" \n\r\n", "The file is empty."),
        (b"Q?\x00\nA. a", "The file cannot be read: it is not text in UTF-8 or Windows-1251."),
        (b"\x98\x98", "The file cannot be read: it is not text in UTF-8 or Windows-1251."),
    ],
)
def test_empty_and_unreadable_files(content, reason):
    result = aiken.parse(content, filename=FILE)

    assert result.problems == [Problem(file=FILE, line=0, reason=reason)]
    assert result.questions == []
