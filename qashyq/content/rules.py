"""Pure rules of learning content (no database): when an item is open to a student, and which HTML a rich
page may hold."""

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

import nh3
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# --- When an item opens (availability dates and the prerequisite) ----------------------------------


def parse_moment(value: str | None) -> datetime | None:
    """An ISO 8601 moment of the published data (written with its offset); a naive one is read in the
    project's time zone."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def moment_label(moment: datetime) -> str:
    """A moment as the reader's language writes it, in the project's time zone (Asia/Almaty)."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def item_lock(
    *,
    data: Mapping[str, Any],
    now: datetime,
    completed_item_ids: set[int] | frozenset[int],
    prerequisite_title: str = "",
) -> str:
    """Why a student may not open an item now, or "" when it is open.

    `data` is the published version's data (or a draft snapshot in the same format). The item is open from
    `available_from` (inclusive) until `available_until` (inclusive: it closes right after that moment),
    and only once its prerequisite is among `completed_item_ids`."""
    if timezone.is_naive(now):
        raise ValueError("item_lock needs an aware datetime for `now`")
    opens = parse_moment(data.get("available_from"))
    if opens is not None and now < opens:
        return _("Opens on %(moment)s") % {"moment": moment_label(opens)}
    closes = parse_moment(data.get("available_until"))
    if closes is not None and now > closes:
        return _("Closed on %(moment)s") % {"moment": moment_label(closes)}
    prerequisite = data.get("prerequisite_id")
    if prerequisite is not None and int(prerequisite) not in completed_item_ids:
        if prerequisite_title:
            return _("Opens after you complete “%(title)s”") % {"title": prerequisite_title}
        return _("Opens after you complete the previous item")
    return ""


def availability_error(available_from: datetime | None, available_until: datetime | None) -> str:
    """A translated message when the availability dates contradict each other, else ""."""
    if available_from is not None and available_until is not None and available_until <= available_from:
        return _("“Available until” must be later than “available from”.")
    return ""


def prerequisite_cycle(*, item_id: int | None, prerequisite_id: int | None, parents: Mapping[int, int | None]) -> bool:
    """Whether making `prerequisite_id` the prerequisite of `item_id` closes a loop (the item itself included).
    `parents` maps each item of the course to its current prerequisite."""
    if prerequisite_id is None:
        return False
    if item_id is None:
        return False
    seen: set[int] = set()
    current: int | None = prerequisite_id
    while current is not None and current not in seen:
        if current == item_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


# --- Rich text of a page (nh3) -----------------------------------------------------------------------

PAGE_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark",
        "blockquote", "hr", "ul", "ol", "li", "a", "img", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "pre", "code", "span", "abbr",
    }
)  # fmt: skip
PAGE_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    "*": {"lang", "dir"},
}
# Content that goes with the tag: a script's text must not survive as visible text either.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_ZERO_UUID = "00000000-0000-0000-0000-000000000000"


@cache
def asset_url_pattern() -> re.Pattern[str]:
    """The path of our own stored files (content:asset): the only source an image of a page may have."""
    path = reverse("content:asset", args=[_ZERO_UUID])
    prefix, _sep, suffix = path.partition(_ZERO_UUID)
    return re.compile(rf"^{re.escape(prefix)}(?P<id>{_UUID}){re.escape(suffix)}$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if asset_url_pattern().match(value) else None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "scope":
        return value if value in ("row", "col", "rowgroup", "colgroup") else None
    if attribute == "dir":
        return value if value in ("ltr", "rtl", "auto") else None
    return value


def sanitize_html(html: str) -> str:
    """The HTML of a rich page as it may be stored and shown: headings, paragraphs, lists, tables, quotes,
    code, links (http, https, mailto; rel="noopener noreferrer") and images served from our own stored
    files. Scripts, styles, frames, event handlers, `style` and `class` attributes and `javascript:`
    URLs are removed; formulas stay as text (MathJax reads \\( … \\), \\[ … \\] and $$ … $$)."""
    cleaned = nh3.clean(
        html,
        tags=set(PAGE_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    cleaned = _IMG.sub(_fix_image, cleaned)
    return "" if html_is_blank(cleaned) else cleaned


# nh3 writes every attribute value in double quotes (a quote inside becomes &quot;), so this is exact.
_IMG = re.compile(r'<img((?:\s+[a-z][a-z0-9-]*(?:="[^"]*")?)*)\s*/?>')


def _fix_image(match: re.Match[str]) -> str:
    """An image whose source was refused is dropped; one without alternative text gets an empty one
    (decorative) until its author writes it."""
    attributes = match.group(1)
    if not re.search(r'\ssrc="', attributes):
        return ""
    if not re.search(r'\salt="', attributes):
        attributes += ' alt=""'
    return f"<img{attributes}>"


_TAGS = re.compile(r"<[^>]*>")


def html_is_blank(html: str) -> bool:
    """True when an HTML fragment shows no text and no image (an editor's empty `<p></p>`)."""
    return "<img" not in html and not _TAGS.sub("", html).replace("&nbsp;", "").strip()


def body_asset_ids(html: str) -> list[str]:
    """The stored files a page shows as images (their ids, in order, once each)."""
    pattern = asset_url_pattern()
    found: list[str] = []
    for image in _IMG.finditer(html):
        src = re.search(r'\ssrc="([^"]*)"', image.group(1))
        match = pattern.match(src.group(1)) if src else None
        if match and match.group("id") not in found:
            found.append(match.group("id"))
    return found
