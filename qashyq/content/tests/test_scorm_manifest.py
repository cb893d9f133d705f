"""The pure side of SCORM (qashyq/content/scorm.py): reading manifests, every refusal, durations, the CMI a
commit carries and the one a learner resumes with, the tokens, and putting the runtime into a page."""

import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from qashyq.content import scorm
from qashyq.content.tests.scorm import package_files

MANIFEST_12 = package_files("scorm12")["imsmanifest.xml"]
MANIFEST_2004 = package_files("scorm2004")["imsmanifest.xml"]


def manifest(body: str, *, metadata: str = "<schemaversion>1.2</schemaversion>", ns: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
        f'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"{ns}>\n'
        f"<metadata><schema>ADL SCORM</schema>{metadata}</metadata>\n"
        f"{body}\n</manifest>\n"
    ).encode()


ONE_SCO = """
<organizations default="O1">
  <organization identifier="O1"><title>Course</title>
    <item identifier="I1" identifierref="R1"><title>Lesson</title></item>
  </organization>
</organizations>
<resources>
  <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/></resource>
</resources>"""


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        scorm.parse_manifest(data)
    return " ".join(caught.value.messages)


# --- Reading ----------------------------------------------------------------------------------------------


def test_scorm_12_package_is_read() -> None:
    parsed = scorm.parse_manifest(MANIFEST_12)
    assert parsed.version == "1.2"
    assert parsed.schema_version == "1.2"
    assert parsed.identifier == "kz.qashyq.test.scorm12"
    assert parsed.title == "Сәлемдесу (SCORM 1.2)"
    assert parsed.launch == "index.html"
    assert parsed.launch_parameters == ""
    assert parsed.as_json() == {
        "version": "1.2",
        "schema_version": "1.2",
        "identifier": "kz.qashyq.test.scorm12",
        "title": "Сәлемдесу (SCORM 1.2)",
        "default_organization": "ORG-GREETINGS",
        "organizations": [
            {
                "identifier": "ORG-GREETINGS",
                "title": "Сәлемдесу (SCORM 1.2)",
                "items": [
                    {
                        "identifier": "ITEM-LESSON",
                        "title": "Сәлемдесу сабағы",
                        "resource": "RES-LESSON",
                        "parameters": "",
                        "visible": True,
                        "items": [],
                    }
                ],
            }
        ],
        "resources": [
            {
                "identifier": "RES-LESSON",
                "type": "webcontent",
                "scorm_type": "sco",
                "href": "index.html",
                "base": "",
                "files": ["index.html", "sco.js", "style.css"],
                "dependencies": [],
            }
        ],
        "launch": {"item": "ITEM-LESSON", "resource": "RES-LESSON", "path": "index.html", "parameters": ""},
    }


def test_scorm_2004_package_is_read_with_xml_base_and_dependencies() -> None:
    parsed = scorm.parse_manifest(MANIFEST_2004)
    assert parsed.version == "2004"
    assert parsed.schema_version == "2004 4th Edition"
    assert parsed.launch == "content/index.html"
    sco, common = parsed.resources
    assert (sco.scorm_type, sco.base, sco.dependencies) == ("sco", "content/", ("RES-COMMON",))
    assert (common.scorm_type, common.href, common.files) == ("asset", "", ("content/style.css",))
    scorm.check_files(parsed, package_files("scorm2004"))


@pytest.mark.parametrize(
    ("metadata", "ns", "version"),
    [
        ("<schemaversion>1.2</schemaversion>", "", "1.2"),
        ("<schemaversion>2004 3rd Edition</schemaversion>", "", "2004"),
        ("<schemaversion>CAM 1.3</schemaversion>", "", "2004"),
        # No schemaversion: the ADL namespaces decide.
        ("", "", "1.2"),
        ("", ' xmlns:adlcp3="http://www.adlnet.org/xsd/adlcp_v1p3"', "2004"),
    ],
)
def test_version_is_detected(metadata: str, ns: str, version: str) -> None:
    body = ONE_SCO if "adlcp3" not in ns else ONE_SCO.replace("adlcp:scormtype", "adlcp3:scormType")
    data = manifest(body, metadata=metadata, ns=ns)
    if "adlcp3" in ns:  # no SCORM 1.2 namespace at all
        data = data.replace(b' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"', b"")
    assert scorm.parse_manifest(data).version == version


def test_launch_is_the_first_sco_of_the_default_organization_with_its_parameters() -> None:
    body = """
<organizations default="O2">
  <organization identifier="O1"><title>Other</title>
    <item identifier="X" identifierref="R1"><title>x</title></item></organization>
  <organization identifier="O2"><title>Chosen</title>
    <item identifier="G"><title>Module</title>
      <item identifier="A" identifierref="ASSET"><title>Reading</title></item>
      <item identifier="B" identifierref="R2" parameters="?page=3" isvisible="false"><title>Quiz</title></item>
    </item>
  </organization>
</organizations>
<resources>
  <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="one.html"/>
  <resource identifier="ASSET" type="webcontent" adlcp:scormtype="asset" href="read.html"/>
  <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="quiz/index.html?lang=kk"/>
</resources>"""
    parsed = scorm.parse_manifest(manifest(body))
    assert parsed.title == "Chosen"
    assert (parsed.launch_item, parsed.launch_resource) == ("B", "R2")
    assert parsed.launch == "quiz/index.html"
    assert parsed.launch_parameters == "?lang=kk&page=3"
    assert parsed.as_json()["organizations"][1]["items"][0]["items"][1]["visible"] is False


# --- Refusals ----------------------------------------------------------------------------------------------


def test_manifest_that_is_not_xml_is_refused_with_its_line() -> None:
    message = refusal(b'<?xml version="1.0"?>\n<manifest>\n<organizations>\n</manifest>\n')
    assert "imsmanifest.xml is not well-formed XML (line 4)" in message


def test_manifest_with_a_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY a "aaaa">]>\n<manifest>&a;</manifest>'
    assert "document type declaration (DTD) or entities" in refusal(data)


def test_billion_laughs_is_refused_without_expanding() -> None:
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 20))
    data = f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "ha">{entities}]><manifest>&l19;</manifest>'.encode()
    started = time.monotonic()
    assert "DTD" in refusal(data)
    assert time.monotonic() - started < 1


def test_root_that_is_not_a_manifest_is_refused() -> None:
    assert "is <html>, not <manifest>" in refusal(b"<html><body/></html>")


def without_adl_namespace(data: bytes) -> bytes:
    return data.replace(b"adlcp:scormtype", b"scormtype").replace(
        b' xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"', b""
    )


def test_unknown_version_is_refused() -> None:
    data = without_adl_namespace(manifest(ONE_SCO, metadata="<schemaversion>CAM 1.1</schemaversion>"))
    assert "declares schema version “CAM 1.1”; only SCORM 1.2 and SCORM 2004 are supported" in refusal(data)


def test_an_odd_schemaversion_with_the_adl_namespace_is_still_read() -> None:
    data = manifest(ONE_SCO, metadata="<schemaversion>1.0</schemaversion>")
    assert scorm.parse_manifest(data).version == "1.2"


def test_manifest_without_any_version_is_refused() -> None:
    data = without_adl_namespace(manifest(ONE_SCO, metadata=""))
    assert "does not say which SCORM version" in refusal(data)


def test_manifest_without_organization_is_refused() -> None:
    body = ONE_SCO.split("<resources>")[1]
    data = manifest("<organizations/>\n<resources>" + body)
    assert "lists no organization" in refusal(data)


def test_organization_without_sco_is_refused() -> None:
    data = manifest(ONE_SCO.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="asset"'))
    assert "The organization “Course” of imsmanifest.xml has no SCO" in refusal(data)


def test_item_naming_a_missing_resource_is_refused_with_its_line() -> None:
    data = manifest(ONE_SCO.replace('identifierref="R1"', 'identifierref="R9"'))
    assert "line 7: item “I1” names resource “R9”, which is not listed" in refusal(data)


def test_dependency_on_a_missing_resource_is_refused() -> None:
    data = manifest(ONE_SCO.replace('<file href="index.html"/>', '<dependency identifierref="LIB"/>'))
    assert "resource “R1” depends on “LIB”, which is not listed" in refusal(data)


def test_missing_file_is_named() -> None:
    parsed = scorm.parse_manifest(MANIFEST_2004)
    files = package_files("scorm2004")
    del files["content/sco.js"]
    with pytest.raises(ValidationError) as caught:
        scorm.check_files(parsed, files)
    assert caught.value.messages == [
        "imsmanifest.xml, line 26: resource “RES-LESSON” names the file “content/sco.js”, which is not in the package."
    ]


def test_file_outside_the_package_is_refused() -> None:
    parsed = scorm.parse_manifest(manifest(ONE_SCO.replace('<file href="index.html"/>', '<file href="../x.js"/>')))
    with pytest.raises(ValidationError, match=r"names “\.\./x\.js”, outside the package"):
        scorm.check_files(parsed, {"index.html"})


def test_external_addresses_and_escaped_names_are_understood() -> None:
    body = ONE_SCO.replace(
        '<file href="index.html"/>',
        '<file href="index.html"/><file href="media/my%20film.mp4"/><file href="https://cdn.example/x.js"/>',
    )
    scorm.check_files(scorm.parse_manifest(manifest(body)), {"index.html", "media/my film.mp4"})


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["course/imsmanifest.xml", "course/index.html"], "must be at the root of the package, but it is in “course/”"),
        (["index.html"], "The package has no imsmanifest.xml"),
    ],
)
def test_manifest_must_be_at_the_root(names: list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        scorm.find_manifest(names)


# --- Durations, CMI ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "value", "seconds"),
    [
        ("1.2", "", 0),
        ("1.2", "00:01:30", 90),
        ("1.2", "0002:00:05.25", 7205),
        ("2004", "PT1M30S", 90),
        ("2004", "PT2H0.5S", 7200),
        ("2004", "P1DT1S", 86401),
        ("2004", "PT", None),
        ("1.2", "1:30", None),
        ("2004", "90", None),
    ],
)
def test_durations(version: str, value: str, seconds: int | None) -> None:
    assert scorm.duration_seconds(version, value) == seconds


def test_durations_are_written_the_way_each_version_reads_them() -> None:
    assert scorm.format_duration("1.2", 3725) == "0001:02:05"
    assert scorm.format_duration("2004", 3725) == "PT1H2M5S"


def test_scorm_12_commit_is_summarized() -> None:
    cmi = {
        "suspend_data": "visits=2",
        "core": {
            "lesson_status": "passed",
            "lesson_location": "page-2",
            "session_time": "00:02:05",
            "exit": "suspend",
            "score": {"raw": "85", "min": "0", "max": "100"},
        },
    }
    summary = scorm.summarize_cmi("1.2", cmi)
    assert summary == scorm.CmiSummary(
        completion_status="passed",
        success_status="passed",
        score_raw=Decimal("85.000"),
        score_min=Decimal("0.000"),
        score_max=Decimal("100.000"),
        score_scaled=None,
        location="page-2",
        suspend_data="visits=2",
        session_time="00:02:05",
        session_seconds=125,
        exit="suspend",
        cmi=cmi,
    )


def test_scorm_2004_commit_is_summarized() -> None:
    cmi = {
        "completion_status": "completed",
        "success_status": "failed",
        "score": {"scaled": "0.45", "raw": "45", "min": "", "max": "100"},
        "location": "q3",
        "suspend_data": "abc",
        "session_time": "PT10M",
        "exit": "",
    }
    summary = scorm.summarize_cmi("2004", cmi)
    assert (summary.completion_status, summary.success_status) == ("completed", "failed")
    assert (summary.score_scaled, summary.score_raw, summary.score_min) == (Decimal("0.45000"), Decimal("45.000"), None)
    assert summary.session_seconds == 600


@pytest.mark.parametrize(
    ("version", "cmi"),
    [
        ("1.2", []),
        ("1.2", {"core": {"lesson_status": "done"}}),
        ("1.2", {"core": {"session_time": "soon"}}),
        ("1.2", {"core": {"lesson_location": "x" * 1001}}),
        ("1.2", {"core": {"score": {"raw": "NaN"}}}),
        ("1.2", {"core": {"score": {"raw": "1e9"}}}),
        ("2004", {"completion_status": "passed"}),
        ("2004", {"success_status": "completed"}),
        ("2004", {"score": {"scaled": "1.5"}}),
        ("2004", {"exit": "later"}),
        ("2004", {"suspend_data": "x" * (64 * 1024 + 1)}),
        ("2004", {"location": 5}),
    ],
)
def test_malformed_commits_are_refused(version: str, cmi: object) -> None:
    with pytest.raises(scorm.CmiError):
        scorm.summarize_cmi(version, cmi)


def test_status_never_goes_down() -> None:
    ranks = scorm.COMPLETION_RANK
    assert scorm.better_status("completed", "incomplete", ranks) == "completed"
    assert scorm.better_status("passed", "completed", ranks) == "passed"
    assert scorm.better_status("incomplete", "failed", ranks) == "failed"
    assert scorm.better_status("failed", "passed", ranks) == "passed"
    assert scorm.better_status("passed", "failed", scorm.SUCCESS_RANK) == "passed"


@pytest.mark.parametrize(
    ("raw", "low", "high", "scaled", "percent"),
    [
        (None, None, None, None, None),
        ("85", None, None, None, "85.00"),
        ("17", "0", "20", None, "85.00"),
        ("45", "0", "100", "0.9", "90.00"),
        ("7", "5", "5", None, "7.00"),
    ],
)
def test_score_percent(
    raw: str | None, low: str | None, high: str | None, scaled: str | None, percent: str | None
) -> None:
    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    result = scorm.score_percent(raw=dec(raw), minimum=dec(low), maximum=dec(high), scaled=dec(scaled))
    assert result == dec(percent)


def test_completion_for_progress() -> None:
    assert scorm.is_complete("completed", "")
    assert scorm.is_complete("passed", "passed")
    assert scorm.is_complete("incomplete", "passed")
    assert not scorm.is_complete("incomplete", "")
    assert not scorm.is_complete("failed", "failed")


def test_first_attempt_starts_ab_initio() -> None:
    cmi = scorm.initial_cmi("1.2", learner_id="s1", learner_name="Nurlanov, Erlan", state=scorm.ResumeState())
    assert cmi == {
        "core": {
            "student_id": "s1",
            "student_name": "Nurlanov, Erlan",
            "entry": "ab-initio",
            "credit": "credit",
            "lesson_mode": "normal",
            "lesson_location": "",
            "total_time": "0000:00:00",
        },
        "suspend_data": "",
    }


def test_resume_carries_the_stored_state() -> None:
    state = scorm.ResumeState(
        completion_status="incomplete",
        success_status="unknown",
        score_raw=Decimal("40.000"),
        score_scaled=Decimal("0.40000"),
        location="q2",
        suspend_data="visits=1",
        total_seconds=3725,
        exit="suspend",
        started=True,
    )
    assert scorm.initial_cmi("2004", learner_id="s1", learner_name="N, E", state=state) == {
        "learner_id": "s1",
        "learner_name": "N, E",
        "entry": "resume",
        "credit": "credit",
        "mode": "normal",
        "location": "q2",
        "suspend_data": "visits=1",
        "total_time": "PT1H2M5S",
        "completion_status": "incomplete",
        "success_status": "unknown",
        "score": {"raw": "40", "scaled": "0.4"},
    }
    done = scorm.ResumeState(completion_status="completed", started=True)
    assert scorm.initial_cmi("1.2", learner_id="s", learner_name="n", state=done)["core"]["entry"] == ""


# --- Tokens --------------------------------------------------------------------------------------------------


def test_launch_token_round_trip_and_forgery() -> None:
    ticket = scorm.LaunchTicket(item_id=5, package_id=7, enrolment_id=None, user_id=9)
    token = scorm.launch_token(ticket)
    assert scorm.read_launch_token(token) == ticket
    assert "/" not in token
    assert scorm.read_launch_token(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]) is None
    assert scorm.read_launch_token("not-a-token") is None
    # A commit token is not a files token (and the other way round).
    commit = scorm.commit_token(scorm.CommitTicket(5, 7, 3, 9, "1.2", session=2, base_seconds=60, progress="0|"))
    assert scorm.read_launch_token(commit) is None
    assert scorm.read_commit_token(token) is None
    assert scorm.read_commit_token(commit) == scorm.CommitTicket(5, 7, 3, 9, "1.2", 2, 60, "0|")


def test_tokens_expire_after_eight_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    now = time.time()
    ticket = scorm.LaunchTicket(item_id=1, package_id=1, enrolment_id=1, user_id=1)
    commit = scorm.CommitTicket(1, 1, 1, 1, "2004", session=1, base_seconds=0, progress="0|")
    monkeypatch.setattr(time, "time", lambda: now - 8 * 3600 + 60)
    fresh, fresh_commit = scorm.launch_token(ticket), scorm.commit_token(commit)
    monkeypatch.setattr(time, "time", lambda: now - 8 * 3600 - 60)
    stale, stale_commit = scorm.launch_token(ticket), scorm.commit_token(commit)
    monkeypatch.undo()
    assert scorm.read_launch_token(fresh) == ticket
    assert scorm.read_commit_token(fresh_commit) == commit
    assert scorm.read_launch_token(stale) is None
    assert scorm.read_commit_token(stale_commit) is None


# --- The launch page -------------------------------------------------------------------------------------------


def test_runtime_goes_at_the_start_of_head_after_the_charset() -> None:
    html = b'<!doctype html>\n<html lang="kk">\n<head>\n  <meta charset="utf-8">\n  <script src="sco.js"></script>'
    result = scorm.inject_into_head(html, b"<RUNTIME>")
    assert result == html.replace(b'<meta charset="utf-8">', b'<meta charset="utf-8"><RUNTIME>')


def test_runtime_goes_before_any_script_of_the_page() -> None:
    html = b'<HTML><HEAD profile="x"><script>var a;</script><meta charset="utf-8"></HEAD>'
    assert (
        scorm.inject_into_head(html, b"<R>")
        == b'<HTML><HEAD profile="x"><R><script>var a;</script><meta charset="utf-8"></HEAD>'
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (b"<html><body>x</body></html>", b"<html><R><body>x</body></html>"),
        (b"<!DOCTYPE html><p>x", b"<!DOCTYPE html><R><p>x"),
        (b"<p>x</p>", b"<R><p>x</p>"),
    ],
)
def test_runtime_goes_in_pages_without_head(html: bytes, expected: bytes) -> None:
    assert scorm.inject_into_head(html, b"<R>") == expected
