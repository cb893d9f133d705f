"""IMS QTI 2.1 reading and writing (pure: no database)."""

import copy
import io
import zipfile
from decimal import Decimal

import pytest
from lxml import etree

from qashyq.assessment.formats import qti
from qashyq.assessment.formats.common import ExportQuestion, ParsedImage
from qashyq.assessment.tests.helpers import SAMPLES, assert_kept

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NS = {"q": qti.NS, "cp": qti.NS_CP}
QTI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 imsqti_v2p1.xsd" '
)


def _export_questions() -> list[ExportQuestion]:
    questions = []
    for number, (qtype, (stem, data)) in enumerate(SAMPLES.items(), start=1):
        images: tuple[ParsedImage, ...] = ()
        if qtype == "single":
            stem = f'<p>{stem} <img src="image:map.png" alt="Map of Kazakhstan"></p>'
            images = (ParsedImage(name="map.png", content=PNG, content_type="image/png"),)
        questions.append(
            ExportQuestion(
                id=number,
                type=qtype,
                name=f"Q{number} {qtype}" if number % 2 else "",
                stem=stem,
                data=copy.deepcopy(data),
                difficulty=number % 3 + 1,
                category=f"Topic {number % 2}/Sub {number}",
                points=Decimal("2.5") if qtype == "multiple" else Decimal(number),
                feedback=f"<p>General feedback {number} &amp; more</p>" if number % 3 == 0 else "",
                language=["kk", "ru", "en"][number % 3],
                images=images,
            )
        )
    return questions


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _manifest(*hrefs: str) -> bytes:
    resources = "".join(
        f'<resource identifier="R{n}" type="imsqti_item_xmlv2p1" href="{href}"><file href="{href}"/></resource>'
        for n, href in enumerate(hrefs)
    )
    return (
        '<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M">'
        f"<organizations/><resources>{resources}</resources></manifest>"
    ).encode()


def _item(body: str, declarations: str = "", processing: str = "", title: str = "Item") -> bytes:
    return (
        f'{QTI_HEAD}identifier="item" title="{title}" adaptive="false" timeDependent="false">'
        f"{declarations}"
        '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>'
        f"<itemBody>{body}</itemBody>{processing}</assessmentItem>"
    ).encode()


def _one(content: bytes, filename: str = "item.xml"):
    result = qti.parse(content, filename=filename)
    assert result.problems == [], result.problems
    assert len(result.questions) == 1
    return result.questions[0]


# --- Round trip -----------------------------------------------------------------------------------------


def test_round_trip_keeps_every_question_of_every_type():
    questions = _export_questions()
    package = qti.write(questions, bank_name="Informatics: midterm 1")

    result = qti.parse(package, filename="bank.zip")

    assert result.problems == []
    assert result.warnings == []
    assert [q.type for q in result.questions] == [q.type for q in questions]
    for exported, parsed in zip(questions, result.questions, strict=True):
        assert_kept(exported, parsed)
    single = result.questions[0]
    assert single.stem == '<p>Қазақстанның астанасы? <img src="image:map.png" alt="Map of Kazakhstan"></p>'
    assert [(i.name, i.content, i.content_type) for i in single.images] == [("map.png", PNG, "image/png")]
    assert all(not q.images for q in result.questions[1:])


def test_round_trip_keeps_option_feedback_units_partial_rules_and_essay_limits():
    data_single = copy.deepcopy(SAMPLES["single"][1])
    data_single["options"][0]["feedback"] = "Right: <b>Astana</b> since 2019."
    data_single["options"][1]["fraction"] = 0.5
    numeric = {
        "answers": [
            {"value": 9.81, "tolerance": 0.01, "fraction": 1.0, "feedback": "exact"},
            {"value": 10.0, "tolerance": 0.5, "fraction": 0.5, "feedback": "rough"},
        ],
        "units": [{"unit": "m/s²", "multiplier": 1.0}, {"unit": "cm/s²", "multiplier": 100.0}],
        "unit_required": True,
    }
    essay = {"rubric": [{"criterion": "Content", "points": 3}], "min_words": 50, "max_words": 300, "template": "Dear"}
    multiple = copy.deepcopy(SAMPLES["multiple"][1]) | {"partial": "fractions"}
    true_false = {"answer": False, "feedback_true": "No.", "feedback_false": "Yes, it is false."}
    short = {"answers": [{"text": "Abai*", "fraction": 1.0, "feedback": ""}], "case_sensitive": True}
    cases = [
        ("single", data_single),
        ("numeric", numeric),
        ("essay", essay),
        ("multiple", multiple),
        ("true_false", true_false),
        ("short", short),
    ]
    questions = [
        ExportQuestion(
            id=n,
            type=t,
            name="",
            stem=f"Stem {n}",
            data=d,
            difficulty=2,
            category="",
            points=Decimal(3),
            feedback="",
            language="",
            images=(),
        )
        for n, (t, d) in enumerate(cases, start=1)
    ]

    result = qti.parse(qti.write(questions), filename="bank.zip")

    assert result.problems == []
    assert [(q.type, q.data) for q in result.questions] == cases
    assert all(q.points == Decimal(3) and q.difficulty == 2 and q.category == "" for q in result.questions)


def test_written_package_is_qti_2_1():
    package = qti.write(_export_questions())

    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = set(archive.namelist())
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        items = {name: etree.fromstring(archive.read(name)) for name in names if name.startswith("items/")}
    assert manifest.tag == f"{{{qti.NS_CP}}}manifest"
    resources = manifest.findall(".//cp:resource", NS)
    assert len(resources) == 9
    assert {r.get("type") for r in resources} == {"imsqti_item_xmlv2p1"}
    assert "images/map.png" in names
    assert [f.get("href") for f in resources[0].findall("cp:file", NS)] == ["items/q1.xml", "images/map.png"]
    for root in items.values():
        assert root.tag == f"{{{qti.NS}}}assessmentItem"
        assert root.get(f"{{{qti.NS_XSI}}}schemaLocation").startswith(qti.NS + " ")
        assert root.get("title")
        assert root.find("q:itemBody", NS) is not None
    single = items["items/q1.xml"]
    assert single.find(".//q:img", NS).get("src") == "../images/map.png"
    assert single.find("q:responseProcessing", NS).get("template") == qti.MATCH_CORRECT
    assert single.find(".//q:choiceInteraction", NS).get("maxChoices") == "1"
    true_false = items["items/q3.xml"]
    assert true_false.get("label") == "qashyq:true_false"
    assert [c.get("identifier") for c in true_false.iterfind(".//q:simpleChoice", NS)] == ["true", "false"]
    numeric = items["items/q7.xml"]
    equal = numeric.find(".//q:equal", NS)
    assert (equal.get("toleranceMode"), equal.get("tolerance")) == ("absolute", "0.05 0.05")
    cloze = items["items/q8.xml"]
    assert len(cloze.findall(".//q:textEntryInteraction", NS)) == 2
    assert len(cloze.findall(".//q:inlineChoiceInteraction", NS)) == 1
    essay = items["items/q9.xml"]
    assert essay.find(".//q:rubricBlock", NS).get("view") == "scorer"


def test_same_image_name_with_different_files_gets_separate_paths():
    def question(number: int, content: bytes) -> ExportQuestion:
        return ExportQuestion(
            id=number, type="true_false", name="", stem=f'<p>Q{number} <img src="image:a.png" alt=""></p>',
            data={"answer": True}, difficulty=1, category="", points=Decimal(1), feedback="", language="",
            images=(ParsedImage("a.png", content, "image/png"),),
        )  # fmt: skip

    result = qti.parse(qti.write([question(1, b"one"), question(2, b"two")]), filename="b.zip")

    assert result.problems == []
    assert [q.images[0].content for q in result.questions] == [b"one", b"two"]
    assert all('src="image:' in q.stem for q in result.questions)


# --- Items as other tools write them -----------------------------------------------------------------


def test_choice_single_ims_example():
    content = _item(
        '<p>Look at the text in the picture.</p><choiceInteraction responseIdentifier="RESPONSE" shuffle="false" '
        'maxChoices="1"><prompt>What does it say?</prompt>'
        '<simpleChoice identifier="ChoiceA">You must stay with your luggage at all times.</simpleChoice>'
        '<simpleChoice identifier="ChoiceB">Do not let someone else look after your luggage.</simpleChoice>'
        '<simpleChoice identifier="ChoiceC">Remember your luggage when you leave.</simpleChoice>'
        "</choiceInteraction>",
        '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">'
        "<correctResponse><value>ChoiceA</value></correctResponse></responseDeclaration>",
        f'<responseProcessing template="{qti.MATCH_CORRECT}"/>',
        title="Unattended Luggage",
    )

    question = _one(content)

    assert question.type == "single"
    assert question.stem == "<p>Look at the text in the picture.</p><p>What does it say?</p>"
    assert [(o["id"], o["fraction"]) for o in question.data["options"]] == [
        ("ChoiceA", 1.0),
        ("ChoiceB", 0.0),
        ("ChoiceC", 0.0),
    ]
    assert question.name == "Unattended Luggage"
    assert (question.points, question.difficulty, question.category, question.line) == (Decimal(1), 1, "", 2)


def test_choice_multiple_ims_example_uses_the_mapping():
    content = _item(
        '<choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="0">'
        "<prompt>Which of the following elements are used to form water?</prompt>"
        '<simpleChoice identifier="H">Hydrogen</simpleChoice><simpleChoice identifier="He">Helium</simpleChoice>'
        '<simpleChoice identifier="C">Carbon</simpleChoice><simpleChoice identifier="O">Oxygen</simpleChoice>'
        "</choiceInteraction>",
        '<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier">'
        "<correctResponse><value>H</value><value>O</value></correctResponse>"
        '<mapping lowerBound="0" upperBound="2" defaultValue="-2">'
        '<mapEntry mapKey="H" mappedValue="1"/><mapEntry mapKey="O" mappedValue="1"/>'
        '<mapEntry mapKey="C" mappedValue="-1"/></mapping></responseDeclaration>',
        f'<responseProcessing template="{qti.MAP_RESPONSE}"/>',
    )

    question = _one(content)

    assert question.type == "multiple"
    assert question.stem == "Which of the following elements are used to form water?"
    assert [(o["text"], o["fraction"]) for o in question.data["options"]] == [
        ("Hydrogen", 0.5),
        ("Helium", 0.0),
        ("Carbon", -0.5),
        ("Oxygen", 0.5),
    ]
    assert question.data["partial"] == "fractions"
    assert question.points == Decimal(2)


def test_multiple_with_match_correct_is_all_or_nothing():
    content = _item(
        '<p>Pick two.</p><choiceInteraction responseIdentifier="R" maxChoices="2">'
        '<simpleChoice identifier="a">A</simpleChoice><simpleChoice identifier="b">B</simpleChoice>'
        '<simpleChoice identifier="c">C</simpleChoice></choiceInteraction>',
        '<responseDeclaration identifier="R" cardinality="multiple" baseType="identifier">'
        "<correctResponse><value>a</value><value>c</value></correctResponse></responseDeclaration>"
        '<outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">'
        "<defaultValue><value>4</value></defaultValue></outcomeDeclaration>",
    )

    question = _one(content)

    assert [o["fraction"] for o in question.data["options"]] == [0.5, 0.0, 0.5]
    assert question.data["partial"] == "all_or_nothing"
    assert question.points == Decimal(4)


def test_true_false_from_choice_identifiers():
    content = _item(
        '<p>The Earth is flat.</p><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">'
        '<simpleChoice identifier="True">True</simpleChoice><simpleChoice identifier="False">False</simpleChoice>'
        "</choiceInteraction>",
        '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">'
        "<correctResponse><value>False</value></correctResponse></responseDeclaration>",
    )

    question = _one(content)

    assert (question.type, question.data["answer"]) == ("true_false", False)


def test_text_entry_ims_example_is_short_answer():
    content = _item(
        "<p>Identify the missing word in this famous quote from Shakespeare's Richard III.</p>"
        "<blockquote><p>Now is the winter of our discontent<br/> Made glorious summer by this sun of "
        '<textEntryInteraction responseIdentifier="RESPONSE" expectedLength="15"/>;<br/> And all the clouds'
        "</p></blockquote>",
        '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string">'
        "<correctResponse><value>York</value></correctResponse>"
        '<mapping defaultValue="0"><mapEntry mapKey="York" mappedValue="1"/>'
        '<mapEntry mapKey="york" mappedValue="0.5" caseSensitive="true"/></mapping></responseDeclaration>',
        f'<responseProcessing template="{qti.MAP_RESPONSE}"/>',
    )

    question = _one(content)

    assert question.type == "short"
    assert question.data == {
        "answers": [
            {"text": "York", "fraction": 1.0, "feedback": ""},
            {"text": "york", "fraction": 0.5, "feedback": ""},
        ],
        "case_sensitive": True,
    }
    assert "sun of _____;<br>" in question.stem
    assert question.stem.startswith("<p>Identify the missing word")


def test_text_entry_case_insensitive_mapping():
    content = _item(
        '<p>Capital of France?</p><p><textEntryInteraction responseIdentifier="R"/></p>',
        '<responseDeclaration identifier="R" cardinality="single" baseType="string">'
        '<mapping defaultValue="0"><mapEntry mapKey="Paris" mappedValue="1" caseSensitive="false"/></mapping>'
        "</responseDeclaration>",
    )

    question = _one(content)

    assert question.stem == "<p>Capital of France?</p>"
    assert question.data["case_sensitive"] is False


def test_numeric_text_entry_with_equal_rounded():
    content = _item(
        '<p>Pi to two decimals?</p><p><textEntryInteraction responseIdentifier="R"/></p>',
        '<responseDeclaration identifier="R" cardinality="single" baseType="float">'
        "<correctResponse><value>3.14</value></correctResponse></responseDeclaration>",
        '<responseProcessing><responseCondition><responseIf><equalRounded roundingMode="decimalPlaces" figures="2">'
        '<variable identifier="R"/><baseValue baseType="float">3.14</baseValue></equalRounded>'
        '<setOutcomeValue identifier="SCORE"><baseValue baseType="float">2</baseValue></setOutcomeValue>'
        "</responseIf></responseCondition></responseProcessing>",
    )

    question = _one(content)

    assert question.type == "numeric"
    assert question.data["answers"] == [{"value": 3.14, "tolerance": 0.005, "fraction": 1.0, "feedback": ""}]
    assert question.points == Decimal(2)


def test_numeric_with_only_a_correct_response_is_exact():
    content = _item(
        '<p>2 + 2?</p><p><textEntryInteraction responseIdentifier="R"/></p>',
        '<responseDeclaration identifier="R" cardinality="single" baseType="integer">'
        "<correctResponse><value>4</value></correctResponse></responseDeclaration>",
        f'<responseProcessing template="{qti.MATCH_CORRECT}"/>',
    )

    question = _one(content)

    assert question.data["answers"] == [{"value": 4.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}]


def test_several_inline_interactions_are_a_cloze():
    content = _item(
        "<p>Complete the sentence.</p>"
        '<p>Astana is the <inlineChoiceInteraction responseIdentifier="G1" shuffle="false">'
        '<inlineChoice identifier="capital">capital</inlineChoice><inlineChoice identifier="port">port</inlineChoice>'
        '</inlineChoiceInteraction> of <textEntryInteraction responseIdentifier="G2"/>.</p>',
        '<responseDeclaration identifier="G1" cardinality="single" baseType="identifier">'
        "<correctResponse><value>capital</value></correctResponse></responseDeclaration>"
        '<responseDeclaration identifier="G2" cardinality="single" baseType="string">'
        '<correctResponse><value>Kazakhstan</value></correctResponse><mapping defaultValue="0">'
        '<mapEntry mapKey="Kazakhstan" mappedValue="2" caseSensitive="false"/></mapping></responseDeclaration>',
    )

    question = _one(content)

    assert question.type == "cloze"
    assert question.stem == "<p>Complete the sentence.</p>"
    assert question.data["text"] == "<p>Astana is the {{1}} of {{2}}.</p>"
    choice, short = question.data["gaps"]
    assert (choice["kind"], choice["points"]) == ("choice", 1)
    assert [(o["id"], o["text"], o["fraction"]) for o in choice["options"]] == [
        ("capital", "capital", 1.0),
        ("port", "port", 0.0),
    ]
    assert short == {
        "id": "2",
        "kind": "short",
        "points": 2,
        "answers": [{"text": "Kazakhstan", "fraction": 1.0, "feedback": ""}],
        "case_sensitive": False,
    }
    assert question.points == Decimal(3)


def test_match_ims_example_with_a_distractor():
    content = _item(
        '<matchInteraction responseIdentifier="RESPONSE" shuffle="true" maxAssociations="4">'
        "<prompt>Characters and plays.</prompt>"
        '<simpleMatchSet><simpleAssociableChoice identifier="C" matchMax="1">Capulet</simpleAssociableChoice>'
        '<simpleAssociableChoice identifier="D" matchMax="1">Demetrius</simpleAssociableChoice>'
        '<simpleAssociableChoice identifier="L" matchMax="1">Lysander</simpleAssociableChoice></simpleMatchSet>'
        '<simpleMatchSet><simpleAssociableChoice identifier="M" matchMax="4">A Midsummer-Night\'s Dream'
        '</simpleAssociableChoice><simpleAssociableChoice identifier="R" matchMax="4">Romeo and Juliet'
        '</simpleAssociableChoice><simpleAssociableChoice identifier="T" matchMax="4">The Tempest'
        "</simpleAssociableChoice></simpleMatchSet></matchInteraction>",
        '<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair">'
        "<correctResponse><value>C R</value><value>D M</value></correctResponse>"
        '<mapping defaultValue="0"><mapEntry mapKey="C R" mappedValue="1"/><mapEntry mapKey="D M" mappedValue="0.5"/>'
        '<mapEntry mapKey="L M" mappedValue="0.5"/></mapping></responseDeclaration>',
        f'<responseProcessing template="{qti.MAP_RESPONSE}"/>',
    )

    question = _one(content)

    assert question.type == "matching"
    assert question.stem == "Characters and plays."
    assert question.data == {
        "pairs": [
            {"id": "C", "left": "Capulet", "right": "Romeo and Juliet"},
            {"id": "D", "left": "Demetrius", "right": "A Midsummer-Night's Dream"},
        ],
        "distractors": ["The Tempest"],
    }


def test_order_ims_example():
    content = _item(
        '<orderInteraction responseIdentifier="RESPONSE" shuffle="true">'
        "<prompt>Rank the drivers from first to third.</prompt>"
        '<simpleChoice identifier="DriverA">Rubens Barrichello</simpleChoice>'
        '<simpleChoice identifier="DriverB">Jenson Button</simpleChoice>'
        '<simpleChoice identifier="DriverC">Michael Schumacher</simpleChoice></orderInteraction>',
        '<responseDeclaration identifier="RESPONSE" cardinality="ordered" baseType="identifier">'
        "<correctResponse><value>DriverC</value><value>DriverA</value><value>DriverB</value></correctResponse>"
        "</responseDeclaration>",
        f'<responseProcessing template="{qti.MATCH_CORRECT}"/>',
    )

    question = _one(content)

    assert question.type == "ordering"
    assert [(i["id"], i["text"]) for i in question.data["items"]] == [
        ("DriverC", "Michael Schumacher"),
        ("DriverA", "Rubens Barrichello"),
        ("DriverB", "Jenson Button"),
    ]


def test_extended_text_ims_example_with_a_rubric_and_modal_feedback():
    content = (
        f'{QTI_HEAD}identifier="et" title="Writing a Postcard" adaptive="false" timeDependent="false" xml:lang="en">'
        '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>'
        '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>'
        "<itemBody><p>Read this postcard from your English pen-friend, Sam.</p>"
        '<rubricBlock view="scorer"><ul><li>Content (3)</li><li>Grammar: 2</li></ul></rubricBlock>'
        '<extendedTextInteraction responseIdentifier="RESPONSE" expectedLength="200">'
        "<prompt>Write Sam a postcard. Answer the questions. Write 25-35 words.</prompt>"
        "</extendedTextInteraction></itemBody>"
        '<modalFeedback outcomeIdentifier="FEEDBACK" identifier="X" showHide="show">Thank you.</modalFeedback>'
        "</assessmentItem>"
    ).encode()

    question = _one(content)

    assert question.type == "essay"
    assert question.stem == (
        "<p>Read this postcard from your English pen-friend, Sam.</p>"
        "<p>Write Sam a postcard. Answer the questions. Write 25-35 words.</p>"
    )
    assert question.data == {
        "rubric": [{"criterion": "Content", "points": 3}, {"criterion": "Grammar", "points": 2}],
        "min_words": 0,
        "max_words": 0,
        "template": "",
    }
    assert (question.points, question.feedback, question.language) == (Decimal(5), "Thank you.", "en")


def test_package_from_another_tool_with_images_in_a_subfolder():
    item = _item(
        '<p><img src="../media/fig.png" alt="figure"/></p><choiceInteraction responseIdentifier="R" maxChoices="1">'
        '<simpleChoice identifier="a">Yes</simpleChoice><simpleChoice identifier="b">No</simpleChoice>'
        "</choiceInteraction>",
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        "<correctResponse><value>b</value></correctResponse></responseDeclaration>",
    )
    package = _zip(
        {
            "imsmanifest.xml": _manifest("items/one.xml"),
            "items/one.xml": item,
            "media/fig.png": PNG,
            "extra/readme.txt": b"hello",
        }
    )

    question = _one(package, "quiz.zip")

    assert question.stem == '<p><img src="image:fig.png" alt="figure"></p>'
    assert [(i.name, i.content) for i in question.images] == [("fig.png", PNG)]


def test_package_without_manifest_reads_its_item_files():
    item = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1">'
        '<simpleChoice identifier="a">Yes</simpleChoice><simpleChoice identifier="b">No</simpleChoice>'
        "</choiceInteraction>",
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        "<correctResponse><value>a</value></correctResponse></responseDeclaration>",
    )

    question = _one(_zip({"q.xml": item}), "quiz.zip")

    assert question.type == "single"


# --- Problems ------------------------------------------------------------------------------------------

CHOICE_DECLARATION = (
    '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
    "<correctResponse><value>a</value></correctResponse></responseDeclaration>"
)


def test_unsupported_interaction_skips_the_question():
    content = _item(
        '<p>Pair them.</p><associateInteraction responseIdentifier="R" maxAssociations="2">'
        '<simpleAssociableChoice identifier="A" matchMax="1">A</simpleAssociableChoice>'
        '<simpleAssociableChoice identifier="B" matchMax="1">B</simpleAssociableChoice></associateInteraction>'
    )

    result = qti.parse(content, filename="assoc.xml")

    assert result.questions == []
    assert [(p.file, p.line) for p in result.problems] == [("assoc.xml", 2)]
    assert "associateInteraction" in result.problems[0].reason


def test_hotspot_in_a_package_names_the_item_file_and_keeps_the_others():
    good = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        '</simpleChoice><simpleChoice identifier="b">N</simpleChoice></choiceInteraction>',
        CHOICE_DECLARATION,
    )
    hotspot = _item(
        '<hotspotInteraction responseIdentifier="R" maxChoices="1"><prompt>Where?</prompt></hotspotInteraction>'
    )
    package = _zip({"imsmanifest.xml": _manifest("a.xml", "b.xml"), "a.xml": good, "b.xml": hotspot})

    result = qti.parse(package, filename="p.zip")

    assert len(result.questions) == 1
    assert [p.file for p in result.problems] == ["p.zip/b.xml"]
    assert "hotspotInteraction" in result.problems[0].reason


def test_xml_syntax_error_names_the_file_and_line():
    package = _zip({"imsmanifest.xml": _manifest("items/bad.xml"), "items/bad.xml": b"<a>\n<b>\n</a>"})

    result = qti.parse(package, filename="p.zip")

    assert result.questions == []
    assert [(p.file, p.line) for p in result.problems] == [("p.zip/items/bad.xml", 3)]


def test_entity_declarations_are_refused():
    content = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom">]><assessmentItem>&x;</assessmentItem>'

    result = qti.parse(content, filename="e.xml")

    assert result.questions == []
    assert len(result.problems) == 1


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<assessmentItem><itemBody><p>&x;</p></itemBody></assessmentItem>"
    ).encode()

    result = qti.parse(content, filename="e.xml")

    assert result.questions == []
    assert "TOP SECRET" not in repr(result)


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/passwd", "a/../../evil.xml", "C:/evil.xml", "a\\..\\b.xml"])
def test_zip_with_paths_outside_the_folder_is_refused(name):
    package = _zip({"imsmanifest.xml": _manifest("q.xml"), name: b"<x/>"})

    result = qti.parse(package, filename="p.zip")

    assert result.questions == []
    assert [(p.file, p.line) for p in result.problems] == [("p.zip", 0)]
    assert name in result.problems[0].reason


def test_zip_with_too_many_files_is_refused(monkeypatch):
    monkeypatch.setattr(qti, "MAX_FILES", 3)
    package = _zip({f"f{n}.txt": b"x" for n in range(4)})

    result = qti.parse(package, filename="p.zip")

    assert result.questions == []
    assert len(result.problems) == 1


def test_zip_with_a_huge_file_is_refused(monkeypatch):
    monkeypatch.setattr(qti, "MAX_FILE_BYTES", 1000)
    package = _zip({"imsmanifest.xml": _manifest("q.xml"), "q.xml": b" " * 1001})

    result = qti.parse(package, filename="p.zip")

    assert result.questions == []
    assert len(result.problems) == 1
    assert "q.xml" in result.problems[0].reason


def test_zip_that_is_too_large_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(qti, "MAX_TOTAL_BYTES", 1500)
    package = _zip({"a.txt": b"a" * 800, "b.txt": b"b" * 800})

    result = qti.parse(package, filename="p.zip")

    assert len(result.problems) == 1


def test_broken_zip_is_a_problem():
    result = qti.parse(b"PK\x03\x04 not really a zip", filename="p.zip")

    assert result.questions == []
    assert len(result.problems) == 1


def test_manifest_naming_a_missing_item():
    result = qti.parse(_zip({"imsmanifest.xml": _manifest("gone.xml")}), filename="p.zip")

    assert [(p.file, p.line) for p in result.problems] == [("p.zip/imsmanifest.xml", 1)]
    assert "gone.xml" in result.problems[0].reason


def test_package_without_items():
    result = qti.parse(_zip({"imsmanifest.xml": _manifest()}), filename="p.zip")

    assert result.questions == []
    assert len(result.problems) == 1


def test_missing_image_in_a_package():
    item = _item(
        '<p>See <img src="images/none.png" alt=""/></p><choiceInteraction responseIdentifier="R" maxChoices="1">'
        '<simpleChoice identifier="a">Y</simpleChoice><simpleChoice identifier="b">N</simpleChoice>'
        "</choiceInteraction>",
        CHOICE_DECLARATION,
    )

    result = qti.parse(_zip({"imsmanifest.xml": _manifest("q.xml"), "q.xml": item}), filename="p.zip")

    assert [p.file for p in result.problems] == ["p.zip/q.xml"]
    assert "images/none.png" in result.problems[0].reason


def test_image_in_a_single_item_file_is_a_warning():
    item = _item(
        '<p>See <img src="images/a.png" alt=""/></p><choiceInteraction responseIdentifier="R" maxChoices="1">'
        '<simpleChoice identifier="a">Y</simpleChoice><simpleChoice identifier="b">N</simpleChoice>'
        "</choiceInteraction>",
        CHOICE_DECLARATION,
    )

    result = qti.parse(item, filename="q.xml")

    assert result.problems == []
    assert len(result.warnings) == 1
    assert len(result.questions) == 1


def test_choice_without_a_correct_answer():
    content = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        '</simpleChoice><simpleChoice identifier="b">N</simpleChoice></choiceInteraction>',
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier"/>',
    )

    result = qti.parse(content, filename="q.xml")

    assert result.questions == []
    assert len(result.problems) == 1
    assert result.problems[0].line == 2


def test_choice_with_a_single_option():
    content = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        "</simpleChoice></choiceInteraction>",
        CHOICE_DECLARATION,
    )

    result = qti.parse(content, filename="q.xml")

    assert result.questions == []
    assert len(result.problems) == 1


def test_empty_stem():
    content = _item(
        '<choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        '</simpleChoice><simpleChoice identifier="b">N</simpleChoice></choiceInteraction>',
        CHOICE_DECLARATION,
    )

    result = qti.parse(content, filename="q.xml")

    assert result.questions == []
    assert len(result.problems) == 1


def test_missing_response_declaration():
    content = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        '</simpleChoice><simpleChoice identifier="b">N</simpleChoice></choiceInteraction>'
    )

    result = qti.parse(content, filename="q.xml")

    assert result.questions == []
    assert "R" in result.problems[0].reason


def test_several_block_interactions_in_one_item():
    content = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        '</simpleChoice><simpleChoice identifier="b">N</simpleChoice></choiceInteraction>'
        '<extendedTextInteraction responseIdentifier="E"/>',
        CHOICE_DECLARATION,
    )

    result = qti.parse(content, filename="q.xml")

    assert result.questions == []
    assert "choiceInteraction" in result.problems[0].reason


def test_item_without_interaction_and_a_non_item_file():
    no_interaction = qti.parse(_item("<p>Just text.</p>"), filename="q.xml")
    test_file = qti.parse(b'<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"/>', filename="t.xml")

    assert no_interaction.questions == []
    assert len(no_interaction.problems) == 1
    assert test_file.questions == []
    assert "assessmentTest" in test_file.problems[0].reason


def test_duplicates_in_a_package_are_flagged():
    item = _item(
        '<p>Q?</p><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="a">Y'
        '</simpleChoice><simpleChoice identifier="b">N</simpleChoice></choiceInteraction>',
        CHOICE_DECLARATION,
    )
    package = _zip(
        {"imsmanifest.xml": _manifest("a.xml", "b.xml"), "a.xml": item, "b.xml": item.replace(b"Q?", b" q? ")}
    )

    result = qti.parse(package, filename="p.zip")

    assert len(result.questions) == 2
    assert [p.file for p in result.problems] == ["p.zip/b.xml"]
    assert "p.zip/a.xml" in result.problems[0].reason


def test_round_trip_of_formatting_that_qti_spells_differently():
    stem = '<p>H<sub>2</sub>O is <u>water</u><br>and <s>not</s> <mark>ice</mark>.</p><ul><li lang="en">x</li></ul>'
    data = {
        "options": [
            {"id": "a", "text": "<b>yes</b>", "fraction": 1.0, "feedback": ""},
            {"id": "b", "text": "no &amp; never", "fraction": 0.0, "feedback": ""},
        ],
        "partial": "all_or_nothing",
    }
    question = ExportQuestion(
        id=1, type="single", name="", stem=stem, data=data, difficulty=1, category="", points=Decimal(1),
        feedback="", language="", images=(),
    )  # fmt: skip

    package = qti.write([question])
    result = qti.parse(package, filename="b.zip")

    assert result.problems == []
    assert (result.questions[0].stem, result.questions[0].data) == (stem, data)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        item = archive.read("items/q1.xml").decode()
    assert '<span class="qashyq-u">water</span>' in item
    assert "<u>" not in item


def test_cloze_written_with_one_gap_stays_a_cloze_and_exact_numbers_use_exact_tolerance():
    data = {
        "text": "<p>2 + 2 = {{1}}</p>",
        "gaps": [
            {
                "id": "1",
                "kind": "numeric",
                "points": 2,
                "answers": [{"value": 4.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "right"}],
            }
        ],
    }
    question = ExportQuestion(
        id=5, type="cloze", name="", stem="Sum", data=data, difficulty=1, category="", points=Decimal(2),
        feedback="", language="", images=(),
    )  # fmt: skip

    package = qti.write([question])
    parsed = _one(package, "b.zip")

    assert (parsed.type, parsed.stem, parsed.data) == ("cloze", "Sum", data)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        item = etree.fromstring(archive.read("items/q5.xml"))
    assert item.find(".//q:equal", NS).get("toleranceMode") == "exact"


def test_true_false_by_the_qashyq_label_with_other_identifiers():
    content = _item(
        '<p>Snow is white.</p><choiceInteraction responseIdentifier="R" maxChoices="1">'
        '<simpleChoice identifier="yes">Yes</simpleChoice><simpleChoice identifier="no">No</simpleChoice>'
        "</choiceInteraction>",
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        "<correctResponse><value>yes</value></correctResponse></responseDeclaration>",
    ).replace(b'title="Item"', b'title="Item" label="qashyq:true_false"')

    question = _one(content)

    assert (question.type, question.data["answer"]) == ("true_false", True)


def test_control_characters_do_not_break_the_writer():
    question = ExportQuestion(
        id=1, type="true_false", name="a\x01b", stem="Bell\x07 rings", data={"answer": True}, difficulty=1,
        category="c\x02", points=Decimal(1), feedback="", language="", images=(),
    )  # fmt: skip

    parsed = _one(qti.write([question]), "b.zip")

    assert (parsed.name, parsed.stem, parsed.category) == ("ab", "Bell rings", "c")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not xml at all",
        _item('<p>Q</p><choiceInteraction responseIdentifier="R"/>', CHOICE_DECLARATION),
        _item(
            '<p>Q</p><matchInteraction responseIdentifier="R"><simpleMatchSet/></matchInteraction>', CHOICE_DECLARATION
        ),
        _item('<p>Q</p><orderInteraction responseIdentifier="R"/>', CHOICE_DECLARATION),
        _item(
            '<p>Q <textEntryInteraction responseIdentifier="R"/></p>',
            '<responseDeclaration identifier="R" cardinality="single" baseType="float"/>',
        ),
    ],
)
def test_malformed_items_are_problems_not_errors(content):
    result = qti.parse(content, filename="q.xml")

    assert result.questions == []
    assert len(result.problems) == 1
