"""The kk and ru catalogs are complete, agree with each other and were made from the current code.

`make messages` keeps existing translations and adds new strings with an empty msgstr, so these
tests fail until every new entry is translated (in the project catalogs and in the vendor ones
under locale/vendor/*/kk). The last test fails when a string is added to the code or a template
without running `make messages`. No database, no gettext tools: Babel reads the files.
"""

import ast
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from qashyq.core.catalogs import key_of, messages_of, read_catalog, strings_of

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
PROJECT = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in ("kk", "ru")}
PLURALS = {
    "kk": (2, "(n!=1)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
}
ALL_CATALOGS = sorted(
    {*PROJECT.values(), *LOCALE.glob("kk/**/*.po"), *LOCALE.glob("ru/**/*.po"), *LOCALE.glob("vendor/*/kk/**/*.po")}
)


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL_CATALOGS, ids=name)
def test_every_entry_is_translated_and_not_fuzzy(path):
    catalog = read_catalog(path)
    problems = [f"{name(path)}: the header is marked fuzzy"] if catalog.fuzzy else []
    for message in messages_of(catalog):
        strings = strings_of(message)
        why = "fuzzy" if message.fuzzy else "untranslated" if not strings or not all(strings) else None
        if why:
            problems.append(f"{name(path)}:{message.lineno}: {why}: {key_of(message)[1]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", PROJECT)
def test_project_catalog_header(lang):
    catalog = read_catalog(PROJECT[lang])
    assert catalog.locale_identifier == lang
    headers = {field: value.strip() for field, value in catalog.mime_headers}
    assert headers["Project-Id-Version"] == "Qashyq"
    assert headers["Content-Type"].lower() == "text/plain; charset=utf-8"
    assert (catalog.num_plurals, catalog.plural_expr) == PLURALS[lang]


def test_kk_and_ru_catalogs_hold_the_same_msgids():
    kk, ru = ({key_of(m) for m in messages_of(read_catalog(PROJECT[lang]))} for lang in ("kk", "ru"))
    assert sorted(kk - ru, key=str) == [], "in kk only"
    assert sorted(ru - kk, key=str) == [], "in ru only"


PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[a-zA-Z/][^<>]*>")


def markers(text: str) -> Counter:
    return Counter(PERCENT.findall(text) + BRACE.findall(text) + TAG.findall(text))


@pytest.mark.parametrize("lang", PROJECT)
def test_translations_keep_placeholders_and_markup(lang):
    problems = []
    for message in messages_of(read_catalog(PROJECT[lang])):
        sources = (message.id,) if isinstance(message.id, str) else message.id
        for index, string in enumerate(strings_of(message)):
            source = sources[min(index, len(sources) - 1)]  # msgstr[0] is the singular, the rest the plural
            if markers(source) != markers(string):
                problems.append(f"line {message.lineno}: {source!r} -> {string!r}")
    assert not problems, "\n".join(problems)


# --- The catalogs were made from the current code ----------------------------------------------

PY_FUNCTIONS = {"_", "gettext", "gettext_lazy"}
TEMPLATE_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(?:"([^"]*)"|'([^']*)')([^%]*)%\}""")


def source_files(pattern: str) -> list[Path]:
    # Like `make messages`, which ignores tests (they may look strings up on purpose).
    return [path for path in ROOT.glob(pattern) if "tests" not in path.relative_to(ROOT).parts]


def python_msgids(path: Path) -> Iterator[tuple[int, str]]:
    """The literal argument of _("..."), gettext("...") and gettext_lazy("...") calls."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        argument = node.args[0]
        if called in PY_FUNCTIONS and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            yield node.lineno, argument.value


def template_msgids(path: Path) -> Iterator[tuple[int, str]]:
    """The literal of {% translate "..." %} and {% trans '...' %} tags (not those with a context).

    Django doubles a % of such a literal, both when it extracts it and when it looks it up.
    """
    text = path.read_text(encoding="utf-8")
    for match in TEMPLATE_TAG.finditer(text):
        if "context" not in match.group(3).split():
            literal = match.group(1) if match.group(1) is not None else match.group(2)
            yield text.count("\n", 0, match.start()) + 1, literal.replace("%", "%%")


def test_every_source_string_is_in_the_catalog():
    found = [(path, line, msgid) for path in source_files("qashyq/**/*.py") for line, msgid in python_msgids(path)] + [
        (path, line, msgid)
        for pattern in ("templates/**/*.html", "qashyq/*/templates/**/*.html")
        for path in source_files(pattern)
        for line, msgid in template_msgids(path)
    ]
    assert len(found) > 100  # the scan works
    catalog = {key_of(m)[1] for m in messages_of(read_catalog(PROJECT["kk"]))}
    missing = [f"{name(path)}:{line}: {msgid!r}" for path, line, msgid in found if msgid and msgid not in catalog]
    assert not missing, "Not in locale/kk/LC_MESSAGES/django.po (run `make messages`):\n" + "\n".join(missing)
