"""Keep Qashyq's Kazakh catalogs for third-party strings in step with the installed packages.

Two catalogs hold Kazakh translations of strings that come from dependencies, not from Qashyq:

* ``locale/vendor/allauth/kk/LC_MESSAGES/django.po``: every message of django-allauth, which ships
  no Kazakh catalog. The msgids (with msgctxt and msgid_plural) are those of allauth's ``en`` catalog.
* ``locale/vendor/django/kk/LC_MESSAGES/django.po``: every message of Django core and of the contrib
  apps Qashyq installs (auth, admin, contenttypes, sessions, humanize, messages) that Django's own
  Kazakh catalog leaves untranslated, marks fuzzy or lacks altogether (Django's ``en`` catalog is the
  list of current msgids), plus every message of django-axes (its catalogs and its source), which
  ships no Kazakh catalog. Messages Django already translates into Kazakh are not repeated.

Both are listed in ``settings.LOCALE_PATHS`` after ``locale/``, so Qashyq's own catalog wins over
them and they win over the packages' catalogs.

After upgrading django-allauth, Django or django-axes:

1. ``.venv/bin/python scripts/vendor_catalogs.py`` rewrites both catalogs from the installed
   packages. Existing Kazakh translations are kept (matched on msgctxt + msgid, and msgid_plural),
   messages no longer wanted are dropped, new ones are added with an empty msgstr. It prints what
   was added and dropped.
2. Translate every entry left with ``msgstr ""`` directly in the ``.po`` files. Keep placeholders
   (``%(name)s``, ``%s``, ``{name}``, HTML tags) exactly, and keep the terms already used.
3. ``.venv/bin/python scripts/vendor_catalogs.py --check`` exits non-zero while a message is
   missing or untranslated (it writes nothing). Then run ``make setup`` (compiles ``.mo``) and
   ``qashyq/core/tests/test_vendor_translations.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import allauth
import axes
import django
from babel.messages.catalog import Message

# Run as a file (python scripts/vendor_catalogs.py), the script needs the project root on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qashyq.core.catalogs import (
    ALLAUTH_KK,
    BASE_DIR,
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
)

FORMAT_FLAGS = ("python-format", "python-brace-format")
PLURAL_FORMS = "nplurals=2; plural=(n!=1);"

Translation = str | tuple[str, ...]


@dataclass
class Source:
    """One message a vendor catalog must translate, and where it comes from."""

    message: Message
    origins: list[str] = field(default_factory=list)


def _add(wanted: dict[Key, Source], message: Message, origin: str) -> None:
    key = key_of(message)
    if key in wanted:
        if origin not in wanted[key].origins:
            wanted[key].origins.append(origin)
        return
    wanted[key] = Source(message=message, origins=[origin])


def allauth_messages() -> dict[Key, Source]:
    """Every message of allauth's ``en`` catalog (allauth has no Kazakh catalog)."""
    root = package_dir(allauth)
    wanted: dict[Key, Source] = {}
    for message in messages_of(read_catalog(root / "locale" / "en" / "LC_MESSAGES" / "django.po")):
        _add(wanted, message, "django-allauth")
    return wanted


def axes_messages() -> list[Message]:
    """django-axes' messages: those of its catalogs, then any its source has that they lack."""
    root = package_dir(axes)
    found: dict[Key, Message] = {}
    for path in sorted((root / "locale").glob("*/LC_MESSAGES/django.po")):
        for message in messages_of(read_catalog(path)):
            found.setdefault(key_of(message), Message(message.id, context=message.context, flags=message.flags))
    for message in extract_python(root):
        if "%" in key_of(message)[1]:
            message.flags.add("python-format")
        found.setdefault(key_of(message), message)
    return list(found.values())


def django_messages() -> dict[Key, Source]:
    """Django (core + used contrib apps) messages without a Kazakh translation, plus django-axes."""
    root = package_dir(django)
    wanted: dict[Key, Source] = {}
    for part in DJANGO_CATALOGS:
        locale = root / part / "locale"
        kk_path = locale / "kk" / "LC_MESSAGES" / "django.po"
        en_path = locale / "en" / "LC_MESSAGES" / "django.po"
        if not en_path.exists() and not kk_path.exists():
            continue
        origin = "django/" + part
        kk = {key_of(m): m for m in messages_of(read_catalog(kk_path))} if kk_path.exists() else {}
        if en_path.exists():
            for message in messages_of(read_catalog(en_path)):
                if not (key_of(message) in kk and is_translated(kk[key_of(message)])):
                    _add(wanted, message, origin)
        # Django's Kazakh catalog may still carry msgids the current source no longer uses; the
        # untranslated ones are kept too, so nothing the installed catalog lacks goes missing.
        for message in kk.values():
            if not is_translated(message):
                _add(wanted, message, origin)
    translated = django_kk_translated()
    for message in axes_messages():
        if key_of(message) not in translated:
            _add(wanted, message, "django-axes")
    return wanted


# --- Writing -----------------------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


def _po_string(keyword: str, text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return [f"{keyword} {_quote(text)}"]
    return [f'{keyword} ""', *(_quote(line) for line in lines)]


def _entry(message: Message, origins: Iterable[str], translation: Translation | None) -> list[str]:
    out = [f"#. {comment}" for comment in message.auto_comments]
    out.append("#. " + ", ".join(origins))
    flags = sorted(flag for flag in message.flags if flag in FORMAT_FLAGS)
    if flags:
        out.append("#, " + ", ".join(flags))
    if message.context is not None:
        out += _po_string("msgctxt", message.context)
    if isinstance(message.id, str):
        out += _po_string("msgid", message.id)
        out += _po_string("msgstr", translation if isinstance(translation, str) else "")
    else:
        out += _po_string("msgid", message.id[0])
        out += _po_string("msgid_plural", message.id[1])
        forms = translation if isinstance(translation, tuple) else ("", "")
        for index, text in enumerate(forms):
            out += _po_string(f"msgstr[{index}]", text)
    return out


def render(project: str, sources: Mapping[Key, Source], memory: Mapping[Key, Translation], revised: str) -> str:
    header = [
        f"Project-Id-Version: {project}",
        "Report-Msgid-Bugs-To: ",
        f"PO-Revision-Date: {revised}",
        "Last-Translator: ",
        "Language-Team: Kazakh",
        "Language: kk",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
        f"Plural-Forms: {PLURAL_FORMS}",
    ]
    out = [
        f"# Kazakh translations of third-party strings: {project}.",
        "# Maintained with scripts/vendor_catalogs.py; see its docstring.",
        'msgid ""',
        'msgstr ""',
        *(_quote(line + "\n") for line in header),
    ]
    for key, source in sources.items():
        out.append("")
        out += _entry(source.message, source.origins, _fitting(source.message, memory.get(key)))
    return "\n".join(out) + "\n"


def _fitting(message: Message, translation: Translation | None) -> Translation | None:
    """The remembered translation if it fits the message's shape (plural or not)."""
    if translation is None:
        return None
    if isinstance(message.id, str):
        return translation if isinstance(translation, str) else None
    if isinstance(translation, tuple) and len(translation) == 2:
        return translation
    return None


def _revision_date(text: str | None) -> str:
    match = re.search(r'^"PO-Revision-Date: (.*)\\n"$', text or "", re.MULTILINE)
    return match.group(1) if match else ""


def memory_of(path: Path) -> dict[Key, Translation]:
    """The translations a catalog already holds (fuzzy and empty ones are forgotten)."""
    if not path.exists():
        return {}
    memory: dict[Key, Translation] = {}
    for message in messages_of(read_catalog(path)):
        if is_translated(message):
            string = message.string
            memory[key_of(message)] = string if isinstance(string, str) else tuple(string or ())
    return memory


@dataclass
class Outcome:
    path: Path
    total: int
    untranslated: list[Key]
    added: list[Key]
    dropped: list[Key]
    changed: bool


def sync(
    path: Path,
    project: str,
    sources: Mapping[Key, Source],
    memory: Mapping[Key, Translation] | None = None,
    *,
    write: bool = True,
) -> Outcome:
    """Rewrite the catalog at ``path`` for ``sources``, translated from ``memory`` + the file itself."""
    existing = memory_of(path)
    merged = {**existing, **(memory or {})}
    old = path.read_text(encoding="utf-8") if path.exists() else None
    text = render(project, sources, merged, _revision_date(old))
    if text != old:  # the revision date moves only when something else changed
        text = render(project, sources, merged, datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000"))
    old_keys = {key_of(m) for m in messages_of(read_catalog(path))} if path.exists() else set()
    untranslated = [key for key, source in sources.items() if _fitting(source.message, merged.get(key)) is None]
    if write and text != old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Outcome(
        path=path,
        total=len(sources),
        untranslated=untranslated,
        added=[key for key in sources if key not in old_keys],
        dropped=sorted((key for key in old_keys if key not in sources), key=lambda k: (k[0] or "", k[1])),
        changed=text != old,
    )


def version_of(distribution: str) -> str:
    return f"{distribution} {version(distribution)}"


def targets() -> list[tuple[Path, str, dict[Key, Source]]]:
    return [
        (ALLAUTH_KK, version_of("django-allauth"), allauth_messages()),
        (DJANGO_KK, f"{version_of('Django')}, {version_of('django-axes')}", django_messages()),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a catalog is not complete")
    args = parser.parse_args(argv)
    failed = False
    for path, project, sources in targets():
        outcome = sync(path, project, sources, write=not args.check)
        rel = os.path.relpath(outcome.path, BASE_DIR)
        stale = " (out of date: run without --check)" if args.check and outcome.changed else ""
        print(f"{rel}: {outcome.total} messages, {len(outcome.untranslated)} untranslated{stale}")
        for key in outcome.added:
            print(f"  + {show(key)}")
        for key in outcome.dropped:
            print(f"  - {show(key)}")
        if args.check and (outcome.untranslated or outcome.changed):
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
