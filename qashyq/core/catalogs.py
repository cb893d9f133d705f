"""Catalog-inspection helpers: reading gettext catalogs and the vendor catalogs' sources.

Used by the catalog tests (qashyq/core/tests/test_catalogs.py, test_vendor_translations.py) and by
scripts/vendor_catalogs.py. The script runs without Django being set up, so this module reads no
Django settings: paths are found from the module's own place in the tree.
"""

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Literal

import django
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parents[2]
VENDOR = BASE_DIR / "locale" / "vendor"
ALLAUTH_KK = VENDOR / "allauth" / "kk" / "LC_MESSAGES" / "django.po"
DJANGO_KK = VENDOR / "django" / "kk" / "LC_MESSAGES" / "django.po"

# Django's catalogs (relative to the django package) for the parts Qashyq uses. contrib.messages
# has no catalog of its own (its strings live in conf/locale); it is listed so that one appears
# here if Django ever adds it.
DJANGO_CATALOGS = (
    "conf",
    "contrib/auth",
    "contrib/admin",
    "contrib/contenttypes",
    "contrib/sessions",
    "contrib/humanize",
    "contrib/messages",
)

# gettext functions whose string arguments are extracted from a package's Python source.
EXTRACT_KEYWORDS: dict[str, tuple[int | tuple[int, Literal["c"]], ...] | None] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

# A message as gettext looks it up: (msgctxt, msgid); a plural message by its singular msgid.
Key = tuple[str | None, str]


def package_dir(module: ModuleType) -> Path:
    """The directory of an imported package."""
    return Path(str(module.__file__)).resolve().parent


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def messages_of(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages, the header aside."""
    return (message for message in catalog if message.id)


def key_of(message: Message) -> Key:
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


def strings_of(message: Message) -> tuple[str, ...]:
    """The msgstr, or the msgstr[n] of a plural message."""
    return (message.string,) if isinstance(message.string, str) else tuple(message.string or ())


def is_translated(message: Message) -> bool:
    """Every msgstr filled in, and not fuzzy."""
    strings = strings_of(message)
    return not message.fuzzy and bool(strings) and all(strings)


def show(key: Key) -> str:
    """A key on one line: ``[context] msgid``."""
    context, msgid = key
    return (f"[{context}] " if context else "") + msgid.replace("\n", "\\n")


def django_kk_translated() -> set[Key]:
    """Keys that Django's own Kazakh catalogs translate (non-empty, not fuzzy)."""
    root = package_dir(django)
    done: set[Key] = set()
    for part in DJANGO_CATALOGS:
        path = root / part / "locale" / "kk" / "LC_MESSAGES" / "django.po"
        if path.exists():
            done |= {key_of(m) for m in messages_of(read_catalog(path)) if is_translated(m)}
    return done


def extract_python(root: Path) -> Iterator[Message]:
    """The gettext calls of the Python source under ``root`` (tests and migrations aside), as messages."""
    extracted = extract_from_dir(
        root,
        method_map=[("**/tests/**", "ignore"), ("**/migrations/**", "ignore"), ("**.py", "python")],
        keywords=EXTRACT_KEYWORDS,
    )
    for _filename, _lineno, msgid, _comments, context in extracted:
        yield Message(msgid, context=context)
