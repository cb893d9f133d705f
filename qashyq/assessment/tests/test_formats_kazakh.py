"""The Kazakh <question>/<variant> parser (.txt and .docx) and the shared helpers of formats/common.py. Pure: no
database."""

import io
import struct
import zipfile
import zlib

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from PIL import Image

from qashyq.assessment.formats import kazakh
from qashyq.assessment.formats.common import ParsedQuestion, Problem, decoded, duplicates, normalized

FILE = "bank.txt"


def parse(text: str, **options):
    return kazakh.parse(text.encode(), filename=FILE, **options)


def option(id_, text, fraction):
    return {"id": id_, "text": text, "fraction": fraction, "feedback": ""}


def texts(question):
    return [item["text"] for item in question.data["options"]]


def rights(question):
    return [item["fraction"] for item in question.data["options"]]


def reasons(found):
    return [(problem.line, problem.reason) for problem in found]


def tiny_png() -> bytes:
    """A 1×1 transparent PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00"))
        + chunk(b"IEND", b"")
    )


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the format ----------------------------------------------------------------------------------------------------


def test_first_variant_is_right_and_the_data_has_the_rules_shape():
    # given a classic Platonus question
    text = "<question>Қазақстанның астанасы?\n<variant>Астана\n<variant>Алматы\n<variant>Шымкент\n<variant>Ақтөбе\n"

    # when
    result = parse(text)

    # then
    assert result.ok
    assert result.warnings == []
    [question] = result.questions
    assert question == ParsedQuestion(
        type="single",
        stem="Қазақстанның астанасы?",
        data={
            "options": [
                option("a", "Астана", 1.0),
                option("b", "Алматы", 0.0),
                option("c", "Шымкент", 0.0),
                option("d", "Ақтөбе", 0.0),
            ],
            "partial": "all_or_nothing",
        },
        line=1,
        difficulty=1,
    )


def test_one_variantright_is_the_right_one_wherever_it_stands():
    result = parse("<question>Budget?\n<variant>Debts\n<variant>Tax\n<variantright>A plan\n<variant>Savings\n")

    [question] = result.questions
    assert question.type == "single"
    assert texts(question) == ["Debts", "Tax", "A plan", "Savings"]
    assert rights(question) == [0.0, 0.0, 1.0, 0.0]
    assert question.data["partial"] == "all_or_nothing"


def test_several_variantright_make_a_multiple_choice_question_with_equal_shares():
    result = parse(
        "<question>Primes?\n<variantright>2\n<variantright>3\n<variant>4\n<variantright>5\n<variant>6\n"
        "<question>Even?\n<variantright>2\n<variant>3\n<variantright>4\n<variant>5\n"
    )

    first, second = result.questions
    assert first.type == "multiple"
    assert first.data["partial"] == "partial"
    assert rights(first) == [1 / 3, 1 / 3, 0.0, 1 / 3, 0.0]
    assert second.type == "multiple"
    assert rights(second) == [0.5, 0.0, 0.5, 0.0]


def test_a_variantright_repeating_a_variant_is_merged_into_it_as_right():
    # given four variants and a <variantright> repeating the second one (differently spaced and cased)
    result = parse(
        "<question>Capital?\n<variant>Almaty\n<variant>Astana\n<variant>Shymkent\n<variant>Taraz\n"
        "<variantright>  ASTANA \n"
    )

    [question] = result.questions
    assert result.ok
    assert question.type == "single"
    assert texts(question) == ["Almaty", "Astana", "Shymkent", "Taraz"]
    assert rights(question) == [0.0, 1.0, 0.0, 0.0]


def test_tags_are_case_insensitive_and_may_share_a_line_with_text():
    result = parse("<QUESTION>2 + 2 = ?<Variant>4<VARIANT>5 <VariantRight>… no<variant>3<variant>22\n")

    [question] = result.questions
    assert question.stem == "2 + 2 = ?"
    assert texts(question) == ["4", "5", "… no", "3", "22"]
    assert rights(question) == [0.0, 0.0, 1.0, 0.0, 0.0]


def test_a_stem_and_a_variant_may_span_lines_kept_as_br():
    result = parse(
        "<question>First line\n\n   second line  \n<variant>one\ncontinued\n<variant>two\n<variant>3\n<variant>4\n"
    )

    [question] = result.questions
    assert question.stem == "First line<br>second line"
    assert texts(question)[0] == "one<br>continued"


def test_text_is_plain_and_escaped():
    result = parse('<question>Is <b> & "x" a tag?\n<variant>a < b\n<variant>c > d\n<variant>e\n<variant>f\n')

    [question] = result.questions
    assert question.stem == 'Is &lt;b&gt; &amp; "x" a tag?'
    assert texts(question)[:2] == ["a &lt; b", "c &gt; d"]


def test_the_numbering_of_a_stem_is_stripped_but_not_a_number_in_it_nor_a_variant_number():
    result = parse(
        "<question>1. One?\n<variant>1. yes\n<variant>2\n<variant>3\n<variant>4\n"
        "<question>12)Twelve?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
        "<question>3.14 is pi?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
        "<question>2024 жылы?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
    )

    assert [question.stem for question in result.questions] == ["One?", "Twelve?", "3.14 is pi?", "2024 жылы?"]
    assert texts(result.questions[0])[0] == "1. yes"


@pytest.mark.parametrize(
    ("variants", "expected"),
    [
        (["A) Astana", "B) Almaty", "C) Taraz", "D) Oral"], ["Astana", "Almaty", "Taraz", "Oral"]),
        (["a. Astana", "b. Almaty", "c. Taraz"], ["Astana", "Almaty", "Taraz"]),
        (["А) Астана", "Б) Алматы", "В) Тараз", "Г) Орал"], ["Астана", "Алматы", "Тараз", "Орал"]),  # Cyrillic
        (["А) x", "В) y", "С) z", "D) w"], ["x", "y", "z", "w"]),  # Cyrillic twins of A B C, then Latin D
        (["А)x", "Ә)y", "Б)z"], ["x", "y", "z"]),  # the Kazakh alphabet
        # not every variant has a letter, or not in order: all are kept as written
        (["A) Astana", "Almaty", "C) Taraz"], ["A) Astana", "Almaty", "C) Taraz"]),
        (["A) Astana", "C) Almaty", "B) Taraz"], ["A) Astana", "C) Almaty", "B) Taraz"]),
        (["B) Astana", "C) Almaty", "D) Taraz"], ["B) Astana", "C) Almaty", "D) Taraz"]),
    ],
)
def test_letter_prefixes_of_variants_are_stripped_only_when_every_variant_has_the_next_letter(variants, expected):
    text = "<question>Q?\n" + "".join(f"<variant>{variant}\n" for variant in variants)

    [question] = parse(text).questions

    assert texts(question) == expected


def test_difficulty_tags_give_difficulty_two_and_three():
    text = "".join(f"<question{n}>Q{n}?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n" for n in ("", 1, 2, 3))

    result = parse(text)

    assert result.ok
    assert [question.difficulty for question in result.questions] == [1, 1, 2, 3]
    assert [question.stem for question in result.questions] == ["Q?", "Q1?", "Q2?", "Q3?"]


def test_without_difficulty_tags_question_numbers_are_plain_numbering():
    text = "".join(f"<question{n}>Q{n}?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n" for n in (1, 2, 3, 4, 17))

    result = parse(text, difficulty_tags=False)

    assert result.ok
    assert [question.difficulty for question in result.questions] == [1, 1, 1, 1, 1]
    assert len(result.questions) == 5


def test_an_unknown_question_number_is_a_problem_with_difficulty_tags():
    result = parse(
        "<question4>Q?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
        "<question2>Fine\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
    )

    assert reasons(result.problems) == [
        (1, "Unknown tag <question4>: only <question>, <question2> and <question3> are known.")
    ]
    assert [question.stem for question in result.questions] == ["Fine"]


def test_option_ids_go_on_after_z():
    text = "<question>Many?\n" + "".join(f"<variant>v{n}\n" for n in range(28))

    [question] = parse(text).questions

    assert [item["id"] for item in question.data["options"]][-3:] == ["z", "aa", "ab"]


# --- encodings and line numbers ------------------------------------------------------------------------------------

CYRILLIC = "<question>Қазақстанның астанасы?\n<variant>Астана\n<variant>Алматы\n<variant>Шымкент\n<variant>Орал\n"


def test_utf8_with_a_byte_order_mark():
    result = kazakh.parse(b"\xef\xbb\xbf" + CYRILLIC.encode(), filename=FILE)

    assert result.ok
    assert result.warnings == []
    assert result.questions[0].stem == "Қазақстанның астанасы?"


def test_windows_1251_when_the_file_is_not_utf8():
    russian = "<question>Столица Казахстана?\n<variant>Астана\n<variant>Алматы\n<variant>Тараз\n<variant>Орал\n"

    result = kazakh.parse(russian.encode("cp1251"), filename=FILE)

    assert result.ok
    assert result.questions[0].stem == "Столица Казахстана?"
    assert texts(result.questions[0])[0] == "Астана"


def test_utf16_with_its_mark_and_crlf_line_ends():
    result = kazakh.parse(CYRILLIC.replace("\n", "\r\n").encode("utf-16"), filename=FILE)

    assert result.ok
    assert result.questions[0].stem == "Қазақстанның астанасы?"
    assert texts(result.questions[0]) == ["Астана", "Алматы", "Шымкент", "Орал"]


def test_line_numbers_are_those_of_the_question_tags():
    text = "\r\n\r\n<question>A?\r\n<variant>1\r\n<variant>2\r\n<variant>3\r\n<variant>4\r\n<question>B?\n<variant>x\n"

    result = parse(text)

    assert result.questions[0].line == 3
    assert reasons(result.problems) == [(8, "The question has a single variant: a choice question needs at least two.")]


# --- problems and warnings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n", b"\xef\xbb\xbf \n"])
def test_an_empty_file_is_a_problem(content):
    result = kazakh.parse(content, filename=FILE)

    assert result.problems == [Problem(file=FILE, line=0, reason="The file is empty.")]
    assert result.questions == []


def test_a_file_without_any_question_tag_is_a_problem():
    result = parse("Қазақстанның астанасы?\nАстана\nАлматы\n")

    assert result.problems == [
        Problem(file=FILE, line=0, reason="No questions found: each question must start with <question>.")
    ]


def test_text_before_the_first_question_is_a_warning_only():
    result = parse("Тест: Тарих\nОқытушы: Иванов\n<question>Q?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n")

    assert result.ok
    assert result.warnings == [Problem(file=FILE, line=1, reason="The text before the first <question> is ignored.")]
    assert len(result.questions) == 1


def test_a_variant_before_the_first_question_is_a_problem():
    result = parse("Intro\n<variant>stray\n<question>Q?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n")

    assert reasons(result.problems) == [(2, "A <variant> comes before the first <question>.")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<question>Q?\n", [(1, "The question has no variants.")]),
        (
            "<question>Q?\n<variant>a\n",
            [(1, "The question has a single variant: a choice question needs at least two.")],
        ),
        ("<question>  \n<variant>a\n<variant>b\n", [(1, "The question has no text.")]),
        ("<question>7.\n<variant>a\n<variant>b\n", [(1, "The question has no text.")]),
        ("<question>Q?\n<variant>a\n<variant> \n<variant>c\n", [(3, "Variant 2 is empty.")]),
        ("<question>Q?\n<variant>A)\n<variant>B) b\n", [(2, "Variant 1 is empty.")]),
        (
            "<question>Q?\n<variant>same\n<variant>other\n<variant>Same\n",
            [(4, "This variant repeats the variant on line 7.")],  # the message names line 2 + 5,
        ),
        (
            "<question>Q?\n<variant>same\n<variantright>same\n",
            [(1, "The question has a single variant once repeated ones are merged: it needs at least two.")],
        ),
    ],
)
def test_every_problem_of_a_question_names_its_line_and_the_question_is_left_out(text, expected):
    # given a broken question between two good ones
    good = "<question>Good {n}?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
    content = good.format(n=1) + text + good.format(n=2)

    # when
    result = parse(content)

    # then the lines are shifted by the five lines of the first question
    assert reasons(result.problems) == [(line + 5, reason) for line, reason in expected]
    assert [question.stem for question in result.questions] == ["Good 1?", "Good 2?"]


def test_duplicate_questions_name_the_first_one():
    text = (
        "<question>Capital?\n<variant>Astana\n<variant>Almaty\n<variant>Oral\n<variant>Taraz\n"
        "<question>Different?\n<variant>Astana\n<variant>Almaty\n<variant>Oral\n<variant>Taraz\n"
        "<question>2.  CAPITAL?\n<variantright>Almaty\n<variant>astana\n<variant>Oral\n<variant>Taraz\n"
        "<question>Capital?\n<variant>Astana\n<variant>Almaty\n<variant>Oral\n<variant>Aqtau\n"
    )

    result = parse(text)

    assert reasons(result.problems) == [(11, "Duplicate of the question on line 1.")]
    assert len(result.questions) == 4


def test_fewer_than_four_variants_is_a_warning_only():
    text = (
        "<question>Two?\n<variant>a\n<variant>b\n"
        "<question>Three?\n<variant>a\n<variant>b\n<variant>c\n"
        "<question>Four?\n<variant>a\n<variant>b\n<variant>c\n<variant>d\n"
    )

    result = parse(text)

    assert result.ok
    assert reasons(result.warnings) == [
        (1, "The question has only 2 variants (five is the norm)."),
        (4, "The question has only 3 variants (five is the norm)."),
    ]
    assert len(result.questions) == 3


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (
            b"<question>\x00\x01\x02binary",
            FILE,
            "The file cannot be read: it is not text in UTF-8 or Windows-1251, nor a .docx document.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50,
            "old.doc",
            "This is an old Word .doc file: save it as .docx (or as plain text) and import that.",
        ),
        (b"<question>Q<variant>a<variant>b", "bank.docx", "The file is not a valid Word .docx document."),
        (b"PK\x03\x04 broken zip", "bank.docx", "The file is not a valid Word .docx document."),
    ],
)
def test_unreadable_files_are_a_problem_of_the_whole_file(content, filename, reason):
    result = kazakh.parse(content, filename=filename)

    assert result.problems == [Problem(file=filename, line=0, reason=reason)]
    assert result.questions == []


def test_a_zip_that_is_not_a_docx_and_a_damaged_docx_are_problems():
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "<question>Q<variant>a<variant>b")
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>not closed")

    not_docx = kazakh.parse(plain_zip.getvalue(), filename="bank.zip")
    broken = kazakh.parse(damaged.getvalue(), filename="bank.docx")

    assert reasons(not_docx.problems) == [(0, "The file is a ZIP archive but not a Word .docx document.")]
    assert reasons(broken.problems) == [(0, "The file is not a valid Word .docx document.")]


# --- .docx ---------------------------------------------------------------------------------------------------------


def test_docx_keeps_images_where_they_stand_and_tables_as_html():
    # given a Word document: a title, a question with a picture in its stem and a table, a variant with a picture
    png = tiny_png()
    document = docx.Document()
    document.add_paragraph("Тарих, 1-модуль")  # 1
    stem = document.add_paragraph("<question>Суретте не бейнеленген? ")  # 2
    stem.add_run().add_picture(io.BytesIO(png))
    stem.runs[-1]._r.xpath(".//wp:docPr")[0].set("descr", 'Карта "1"')
    document.add_paragraph("Кестеге қараңыз:")  # 3
    table = document.add_table(rows=2, cols=2)  # paragraphs 4–7
    table.cell(0, 0).text = "Жыл"
    table.cell(0, 1).text = "Оқиға <1>"
    table.cell(1, 0).text = "1991"
    table.cell(1, 1).text = "Тәуелсіздік"
    document.add_paragraph("<variant>Тау")  # 8
    picture = document.add_paragraph("<variant>")  # 9
    picture.add_run().add_picture(io.BytesIO(png))
    document.add_paragraph("<variant>Өзен")  # 10
    document.add_paragraph("<variant>Көл")  # 11
    document.add_paragraph("<question3>Екінші?")  # 12
    document.add_paragraph("<variant>a")  # 13
    document.add_paragraph("<variant>b")  # 14

    # when
    result = kazakh.parse(docx_bytes(document), filename="bank.docx")

    # then
    assert result.ok
    assert reasons(result.warnings) == [
        (1, "The text before the first <question> is ignored."),
        (12, "The question has only 2 variants (five is the norm)."),
    ]
    first, second = result.questions
    assert first.line == 2
    assert first.stem == (
        'Суретте не бейнеленген? <img src="image:image1.png" alt="Карта &quot;1&quot;"><br>Кестеге қараңыз:'
        "<table><tbody><tr><td>Жыл</td><td>Оқиға &lt;1&gt;</td></tr>"
        "<tr><td>1991</td><td>Тәуелсіздік</td></tr></tbody></table>"
    )
    assert texts(first) == ["Тау", '<img src="image:image1.png" alt="">', "Өзен", "Көл"]
    assert rights(first) == [1.0, 0.0, 0.0, 0.0]
    [image] = first.images
    assert (image.name, image.content, image.content_type) == ("image1.png", png, "image/png")
    assert (second.line, second.difficulty, second.stem, second.images) == (12, 3, "Екінші?", [])


def test_docx_tags_split_across_runs_and_line_breaks_inside_a_paragraph():
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ("<ques", "tion>", "Бірінші жол"):
        paragraph.add_run(piece)
    paragraph.add_run().add_break()
    paragraph.add_run("екінші жол")
    variants = document.add_paragraph()
    for piece in ("<variant", "right>", "иә", "<var", "iant>", "жоқ"):
        variants.add_run(piece)

    result = kazakh.parse(docx_bytes(document), filename="bank.docx")

    [question] = result.questions
    assert question.stem == "Бірінші жол<br>екінші жол"
    assert texts(question) == ["иә", "жоқ"]
    assert rights(question) == [1.0, 0.0]


def test_docx_questions_laid_out_in_a_table_are_read_cell_by_cell_with_paragraph_numbers():
    document = docx.Document()
    document.add_paragraph("Кесте:")  # 1
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "<question>Q1?"  # 2
    table.cell(1, 0).text = "<variant>a"  # 3
    table.cell(1, 0).add_paragraph("<variant>b")  # 4
    document.add_paragraph("<question>Q2?")  # 5
    document.add_paragraph("<variant>c")  # 6

    result = kazakh.parse(docx_bytes(document), filename="bank.docx")

    assert [(question.line, question.stem, texts(question)) for question in result.questions] == [
        (2, "Q1?", ["a", "b"])
    ]
    assert reasons(result.problems) == [(5, "The question has a single variant: a choice question needs at least two.")]


def test_docx_picture_browsers_cannot_show_is_a_warning():
    tiff = io.BytesIO()
    Image.new("RGB", (1, 1)).save(tiff, format="TIFF")
    document = docx.Document()
    paragraph = document.add_paragraph("<question>Сурет? ")
    paragraph.add_run().add_picture(io.BytesIO(tiff.getvalue()))
    for text in ("a", "b", "c", "d"):
        document.add_paragraph(f"<variant>{text}")

    result = kazakh.parse(docx_bytes(document), filename="bank.docx")

    assert result.ok
    assert reasons(result.warnings) == [
        (1, "The picture image1.tiff is in a format web browsers cannot show; insert it as PNG or JPEG.")
    ]
    assert result.questions[0].images[0].content_type == "image/tiff"


def test_docx_with_tags_in_any_case_and_difficulty_tags_off():
    document = docx.Document()
    document.add_paragraph("<Question2>Q?")
    document.add_paragraph("<VARIANT>a")
    document.add_paragraph("<variant>b")

    on = kazakh.parse(docx_bytes(document), filename="bank.docx")
    off = kazakh.parse(docx_bytes(document), filename="bank.docx", difficulty_tags=False)

    assert on.questions[0].difficulty == 2
    assert off.questions[0].difficulty == 1


def test_docx_pictures_are_detected_by_content_not_by_name():
    document = docx.Document()
    document.add_paragraph("<question>Q?")
    document.add_paragraph("<variant>a")
    document.add_paragraph("<variant>b")

    result = kazakh.parse(docx_bytes(document), filename="questions.txt")

    assert result.ok
    assert texts(result.questions[0]) == ["a", "b"]


# --- size ----------------------------------------------------------------------------------------------------------


def test_ten_thousand_questions_parse_with_their_numbers_and_lines():
    """At the size of the speed benchmark (docs/benchmarks.md, "Importing 10,000 questions"), where the time
    is measured; here only what is parsed."""
    text = "".join(
        f"<question{1 + n % 3}>{n}. Сұрақ нөмірі {n}?\n<variant>Дұрыс {n}\n<variant>Қате {n}\n"
        f"<variant>Қате екі {n}\n<variant>Қате үш {n}\n<variantright>Дұрыс {n}\n"
        for n in range(10_000)
    ).encode()

    result = kazakh.parse(text, filename=FILE)

    assert result.ok
    assert len(result.questions) == 10_000
    assert result.questions[9_999].line == 59_995


# --- common.py helpers ---------------------------------------------------------------------------------------------


def test_normalized_strips_tags_entities_case_and_spaces_but_keeps_image_addresses():
    assert normalized("  Қазақстан\tАСТАНАСЫ \n ") == "қазақстан астанасы"
    assert normalized("<p>H<sub>2</sub>O &amp;  <b>water</b><br>now</p>") == "h2o & water now"
    assert normalized("Cafe\u0301") == normalized("Café") == "café"  # NFC
    assert normalized('<img src="image:a.png" alt="">') == "[img image:a.png]"
    assert normalized('<img alt="" src="image:a.png">') != normalized('<img src="image:b.png" alt="">')


def test_duplicates_compare_type_stem_and_options_in_any_order():
    def question(line, stem, options, qtype="single"):
        data = {"options": [option(str(n), text, 1.0 if n == 0 else 0.0) for n, text in enumerate(options)]}
        return ParsedQuestion(type=qtype, stem=stem, data=data, line=line)

    questions = [
        question(1, "Capital?", ["Astana", "Almaty"]),
        question(5, "<b>capital?</b>", ["almaty", "ASTANA"]),  # same: other order, case, markup, right answer
        question(9, "Capital?", ["Astana", "Almaty"], qtype="multiple"),  # another type
        question(13, "Capital?", ["Astana", "Oral"]),  # other options
        question(17, "Capital?", ["Astana", "Almaty"]),
        ParsedQuestion(type="true_false", stem="Capital?", data={"answer": True}, line=21),
        ParsedQuestion(type="true_false", stem="Capital? ", data={"answer": False}, line=25),
    ]

    assert reasons(duplicates(questions, "f.txt")) == [
        (5, "Duplicate of the question on line 1."),
        (17, "Duplicate of the question on line 1."),
        (25, "Duplicate of the question on line 21."),
    ]
    assert duplicates(questions, "f.txt")[0].file == "f.txt"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Сәлем".encode(), "Сәлем"),
        (b"\xef\xbb\xbf" + "Сәлем".encode(), "Сәлем"),
        ("Привет".encode("cp1251"), "Привет"),
        ("Сәлем".encode("utf-16"), "Сәлем"),
        (b"a\x00b", None),
        (b"\x98", None),  # undefined in Windows-1251
    ],
)
def test_decoded(content, expected):
    assert decoded(content) == expected


def test_a_question_tag_inside_the_text_of_a_docx_paragraph_keeps_paragraph_numbers():
    document = docx.Document()
    document.add_paragraph("<question>Q1?<variant>a<variant>b<question>Q2?")
    document.add_paragraph("<variant>c")
    document.add_paragraph("<variant>d")
    document.add_paragraph("<question>Q1?<variant>a<variant>b")

    result = kazakh.parse(docx_bytes(document), filename="bank.docx")

    assert [(question.line, question.stem) for question in result.questions] == [(1, "Q1?"), (1, "Q2?"), (4, "Q1?")]
    assert reasons(result.problems) == [(4, "Duplicate of the question on line 1.")]


def test_docx_vml_pictures_are_kept_and_a_fallback_copy_is_not_read_twice():
    # given a picture in Word's alternate content (a drawing, with a VML fallback of the same picture), and an
    # old-style VML picture (as MathType equations are)
    png = tiny_png()
    document = docx.Document()
    stem = document.add_paragraph("<question>Q? ")
    stem.add_run().add_picture(io.BytesIO(png))
    drawing_run = stem.runs[-1]._r
    relationship = drawing_run.xpath(".//a:blip/@r:embed")[0]
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    vml = "urn:schemas-microsoft-com:vml"
    alternate = etree.SubElement(stem._p, f"{{{mc}}}AlternateContent")
    choice = etree.SubElement(alternate, f"{{{mc}}}Choice", Requires="wps")
    choice.append(drawing_run)
    fallback = etree.SubElement(alternate, f"{{{mc}}}Fallback")
    fallback_run = etree.SubElement(fallback, qn("w:r"))
    fallback_pict = etree.SubElement(fallback_run, qn("w:pict"))
    etree.SubElement(etree.SubElement(fallback_pict, f"{{{vml}}}shape"), f"{{{vml}}}imagedata").set(
        qn("r:id"), relationship
    )
    variant = document.add_paragraph("<variant>x = ")
    pict = etree.SubElement(etree.SubElement(variant._p, qn("w:r")), qn("w:pict"))
    imagedata = etree.SubElement(etree.SubElement(pict, f"{{{vml}}}shape"), f"{{{vml}}}imagedata")
    imagedata.set(qn("r:id"), relationship)
    imagedata.set(f"{{{vml}}}title", "формула")
    document.add_paragraph("<variant>y")

    result = kazakh.parse(docx_bytes(document), filename="bank.docx")

    [question] = result.questions
    assert question.stem == 'Q? <img src="image:image1.png" alt="">'
    assert texts(question) == ['x = <img src="image:image1.png" alt="формула">', "y"]
    assert [image.name for image in question.images] == ["image1.png"]
