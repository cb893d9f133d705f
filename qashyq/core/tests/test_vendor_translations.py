"""The Kazakh catalogs under locale/vendor/ cover every third-party string the installed packages lack.

django-allauth and django-axes ship no Kazakh catalog and Django's own is incomplete, so Qashyq
ships locale/vendor/allauth/kk and locale/vendor/django/kk (see scripts/vendor_catalogs.py). These
tests read the installed packages' catalogs, found through the imported packages, so an upgrade
that brings new strings fails here until they are translated.
"""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import allauth
import axes
import django
import pytest
from babel.messages import mofile
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation

from qashyq.core.catalogs import (
    ALLAUTH_KK,
    DJANGO_CATALOGS,
    DJANGO_KK,
    Key,
    django_kk_translated,
    extract_python,
    is_translated,
    key_of,
    messages_of,
    package_dir,
    read_catalog,
    show,
    strings_of,
)


def untranslated_in(path: Path, wanted: set[Key]) -> list[str]:
    catalog = {key_of(m): m for m in messages_of(read_catalog(path))}
    return sorted(show(key) for key in wanted if key not in catalog or not is_translated(catalog[key]))


# --- Coverage ----------------------------------------------------------------------------------


def test_allauth_catalog_translates_every_allauth_message():
    locale = package_dir(allauth) / "locale"
    assert not (locale / "kk").exists(), "allauth now ships Kazakh: revisit locale/vendor/allauth"
    # The en catalog lists every msgid; ru is read too in case en ever lags behind.
    wanted = {
        key_of(m)
        for lang in ("en", "ru")
        for m in messages_of(read_catalog(locale / lang / "LC_MESSAGES" / "django.po"))
    }
    assert len(wanted) > 300
    assert untranslated_in(ALLAUTH_KK, wanted) == []


@pytest.mark.parametrize("part", DJANGO_CATALOGS)
def test_django_catalog_translates_what_django_leaves_untranslated(part):
    locale = package_dir(django) / part / "locale"
    kk_path, en_path = (locale / lang / "LC_MESSAGES" / "django.po" for lang in ("kk", "en"))
    if not kk_path.exists() and not en_path.exists():
        pytest.skip(f"Django ships no catalog for {part}")
    kk = {key_of(m): m for m in messages_of(read_catalog(kk_path))} if kk_path.exists() else {}
    # Untranslated or fuzzy in Django's kk catalog, and current msgids (en) its kk catalog lacks.
    wanted = {key for key, message in kk.items() if not is_translated(message)}
    if en_path.exists():
        wanted |= {
            key_of(m)
            for m in messages_of(read_catalog(en_path))
            if not (key_of(m) in kk and is_translated(kk[key_of(m)]))
        }
    assert untranslated_in(DJANGO_KK, wanted) == []


def test_django_catalog_translates_every_axes_message():
    root = package_dir(axes)
    assert not (root / "locale" / "kk").exists(), "django-axes now ships Kazakh: revisit locale/vendor/django"
    wanted = {
        key_of(m) for path in (root / "locale").glob("*/LC_MESSAGES/django.po") for m in messages_of(read_catalog(path))
    }
    wanted |= {key_of(m) for m in extract_python(root)}
    assert (None, "Account locked: too many login attempts. Please try again later.") in wanted
    assert untranslated_in(DJANGO_KK, wanted - django_kk_translated()) == []


# --- Well-formedness ---------------------------------------------------------------------------

VENDOR_CATALOGS = pytest.mark.parametrize("path", [ALLAUTH_KK, DJANGO_KK], ids=["allauth", "django"])

PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[a-zA-Z/][^<>]*>")


def placeholders(text: str) -> tuple[Counter, tuple[str, ...], Counter, Counter]:
    """Named %-placeholders, positional ones (in order), {}-placeholders and HTML tags of a text."""
    found = [match for match in PERCENT.finditer(text) if match.group() != "%%"]
    named = Counter(match.group() for match in found if match.group("name") is not None)
    positional = tuple(match.group() for match in found if match.group("name") is None)
    return named, positional, Counter(BRACE.findall(text)), Counter(TAG.findall(text))


@VENDOR_CATALOGS
def test_catalog_header(path):
    text = path.read_text(encoding="utf-8")
    for field in (
        "Language: kk",
        "Content-Type: text/plain; charset=UTF-8",
        "Plural-Forms: nplurals=2; plural=(n!=1);",
    ):
        assert f'"{field}\\n"' in text
    assert read_catalog(path).locale_identifier == "kk"


@VENDOR_CATALOGS
def test_every_entry_is_translated_and_not_fuzzy(path):
    bad = [show(key_of(m)) for m in messages_of(read_catalog(path)) if not is_translated(m)]
    assert bad == []


@VENDOR_CATALOGS
def test_translations_keep_placeholders_and_markup(path):
    problems = []
    for message in messages_of(read_catalog(path)):
        sources = (message.id,) if isinstance(message.id, str) else message.id
        for index, string in enumerate(strings_of(message)):
            # msgstr[0] is the n == 1 form, the others follow msgid_plural.
            source = sources[min(index, len(sources) - 1)]
            if placeholders(source) != placeholders(string):
                problems.append(f"{show(key_of(message))!r} -> {string!r}")
    assert problems == []


@VENDOR_CATALOGS
def test_translations_are_kazakh_cyrillic(path):
    # No English left behind: apart from placeholders, markup and a few technical names, a
    # translation with Latin words has Cyrillic ones too; and the Kazakh letters are in use.
    catalog = list(messages_of(read_catalog(path)))
    assert set("әғқңөұүі") <= set("".join(s for m in catalog for s in strings_of(m)))
    technical = {"User Agent", "HTTP Accept"}
    latin_only = []
    for message in catalog:
        for string in strings_of(message):
            words = TAG.sub("", BRACE.sub("", PERCENT.sub("", string)))
            if re.search(r"[a-zA-Z]{4}", words) and not re.search(r"[а-яёәғқңөұүһі]", words, re.IGNORECASE):
                latin_only.append(string)
    assert [string for string in latin_only if string not in technical] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@VENDOR_CATALOGS
def test_msgfmt_accepts_catalog(path):
    result = subprocess.run(  # noqa: S603
        [shutil.which("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


# --- Runtime lookups ---------------------------------------------------------------------------


@pytest.fixture
def compiled_locale_paths(settings, tmp_path):
    """settings.LOCALE_PATHS, each compiled .po -> .mo into a temporary copy (stale .mo files aside)."""
    compiled = []
    for index, locale_path in enumerate(settings.LOCALE_PATHS):
        target = tmp_path / str(index)
        for po_path in Path(locale_path).glob("*/LC_MESSAGES/*.po"):
            mo_path = target / po_path.relative_to(locale_path).with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as handle:
                mofile.write_mo(handle, read_catalog(po_path))
        compiled.append(target)
    settings.LOCALE_PATHS = compiled  # resets Django's translation caches, and again on teardown
    return compiled


@pytest.mark.usefixtures("compiled_locale_paths")
def test_kazakh_lookups_find_vendor_translations():
    with translation.override("kk"):
        # django-allauth (plain, with context, plural)
        assert translation.gettext("Enter Sign-In Code") == "Кіру кодын енгізіңіз"
        assert translation.pgettext("field label", "Login") == "Логин"
        assert (
            translation.ngettext("You have added %(count)s security key.", "You have added %(count)s security keys.", 3)
            % {"count": 3}
            == "Сіз 3 қауіпсіздік кілтін қостыңыз."
        )
        # Django, through a real validator; and a string Django's own catalog already translates
        with pytest.raises(ValidationError) as error:
            validate_email("not-an-address")
        assert error.value.messages == ["Дұрыс электрондық пошта мекенжайын енгізіңіз."]
        assert translation.gettext("Enter a valid date.") == "Дұрыс күнді енгізіңіз."
        # django-axes
        assert (
            translation.gettext("Account locked: too many login attempts. Please try again later.")
            == "Есептік жазба бұғатталды: кіру әрекеттері тым көп. Кейінірек қайталап көріңіз."
        )
    with translation.override("en"):
        assert translation.gettext("Enter Sign-In Code") == "Enter Sign-In Code"
