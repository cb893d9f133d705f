"""zip_members refuses every archive that could escape its folder or blow up; vtt_check / vtt_transcript."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from qashyq.content.storage import vtt_check, vtt_transcript, zip_members
from qashyq.content.tests.files_helpers import VTT, zip_bytes

LIMITS = {"max_files": 10, "max_unpacked_bytes": 50 * 1024 * 1024}


def members_of(data: bytes, **limits) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [info.filename for info in zip_members(zf, **{**LIMITS, **limits})]


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(ValidationError) as caught:
        members_of(data, **limits)
    return caught.value.messages[0]


def raw_zip(info: zipfile.ZipInfo, data: bytes = b"x") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(info, data)
    return buffer.getvalue()


def test_a_clean_archive_lists_its_files_without_folders():
    data = zip_bytes([("imsmanifest.xml", b"<manifest/>"), ("sco/", b""), ("sco/index.html", b"<p>1</p>" * 500)])
    assert members_of(data) == ["imsmanifest.xml", "sco/index.html"]


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ("../evil.html", ["../evil.html", ".."]),
        ("sco/../../etc/passwd", ["sco/../../etc/passwd"]),
        ("/etc/passwd", ["/etc/passwd", "absolute"]),
        ("C:/Windows/win.ini", ["C:/Windows/win.ini", "absolute"]),
    ],
)
def test_paths_that_escape_are_refused(member, words):
    message = refusal(zip_bytes([("ok.txt", b"1"), (member, b"2")]))
    for word in words:
        assert word in message


def test_a_backslash_is_refused():
    info = zipfile.ZipInfo("sco/x.html")
    info.filename = "sco\\..\\x.html"  # ZipInfo turns backslashes into slashes; a crafted archive keeps them
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(info, b"x")
    # Python reading the archive back on POSIX keeps the backslash as it is
    message = refusal(buffer.getvalue())
    assert "sco\\..\\x.html" in message
    assert "backslash" in message


def test_a_symbolic_link_is_refused():
    info = zipfile.ZipInfo("link")
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    message = refusal(raw_zip(info, b"/etc/passwd"))
    assert "“link”" in message
    assert "symbolic link" in message


def test_an_encrypted_member_is_refused():
    data = bytearray(zip_bytes([("secret.html", b"<p>x</p>")], compression=zipfile.ZIP_STORED))
    # set the "encrypted" flag bit in the local header and in the central directory
    data[6] |= 0x01
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x01
    message = refusal(bytes(data))
    assert "secret.html" in message
    assert "encrypted" in message


def test_too_many_files_are_refused():
    message = refusal(zip_bytes([(f"f{i}.txt", b"x") for i in range(11)]))
    assert "11" in message
    assert "10" in message
    assert len(members_of(zip_bytes([(f"f{i}.txt", b"x") for i in range(10)]))) == 10


def test_too_large_unpacked_is_refused_naming_the_member():
    data = zip_bytes([("a.bin", b"\x01" * 600_000), ("b.bin", b"\x02" * 600_000)])
    message = refusal(data, max_unpacked_bytes=1_000_000, max_ratio=100_000)
    assert "b.bin" in message


def test_a_zip_bomb_is_refused():
    data = zip_bytes([("readme.txt", b"hello"), ("bomb.bin", b"\x00" * (20 * 1024 * 1024))])
    assert len(data) < 100_000
    message = refusal(data)
    assert "bomb.bin" in message
    assert "ZIP bomb" in message
    # a small, very compressible page is not a bomb
    assert members_of(zip_bytes([("index.html", b" " * 200_000)])) == ["index.html"]
    # with a higher ratio allowed the same archive passes
    assert members_of(data, max_ratio=10_000) == ["readme.txt", "bomb.bin"]


# --- WebVTT -----------------------------------------------------------------------------------------


def test_a_valid_vtt_passes():
    vtt_check(VTT.encode(), name="captions.vtt")
    vtt_check(
        b"\xef\xbb\xbfWEBVTT - title\r\n\r\nNOTE a note\r\n\r\n1\r\n01:00:00.000 --> 01:00:01.000 align:start\r\nx\r\n",
        name="a.vtt",
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1\n00:00:01.000 --> 00:00:02.000\nx\n", 1, ["WEBVTT"]),
        ("WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nx\n", 1, ["WEBVTT"]),
        ("WEBVTT\n\n00:00:01,000 --> 00:00:02.000\nx\n", 3, ["00:00:01,000"]),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n\n00:00:05.000-->00:00:06.000\ny\n", 6, []),
        ("WEBVTT\n\n00:00:01.000 --> 00:01:60.000\nx\n", 3, []),
        ("WEBVTT\n\n00:00:03.000 --> 00:00:02.000\nx\n", 3, ["ends before"]),
        ("WEBVTT\n\n\n\n00:00:03.000 --> 00:00:03.000\nx\n", 5, ["ends before"]),
    ],
)
def test_invalid_vtt_names_file_and_line(text, line, words):
    with pytest.raises(ValidationError) as caught:
        vtt_check(text.encode(), name="субтитр.vtt")
    message = caught.value.messages[0]
    assert "субтитр.vtt" in message
    assert f"line {line}:" in message
    for word in words:
        assert word in message


def test_vtt_without_cues_or_not_utf8_is_refused():
    for data, word in ((b"WEBVTT\n\nNOTE nothing\n", "no cues"), (b"WEBVTT\n\n\xff\xfe", "UTF-8")):
        with pytest.raises(ValidationError) as caught:
            vtt_check(data, name="a.vtt")
        assert "a.vtt" in caught.value.messages[0]
        assert word in caught.value.messages[0]


def test_transcript_joins_cue_texts_without_tags():
    data = (
        "WEBVTT\n\nNOTE not said\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Дәріскер>Сәлем, <b>әлем</b>!\nҚалайсыз?\n\n"
        "00:04.000 --> 00:00:06.500\nЕкінші &amp; соңғы\n"
    ).encode()
    assert vtt_transcript(data) == "Сәлем, әлем! Қалайсыз?\nЕкінші & соңғы"
