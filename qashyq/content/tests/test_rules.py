"""The pure rules of items: when an item is locked (no database), and what the HTML sanitizer keeps."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from qashyq.content.rules import (
    availability_error,
    body_asset_ids,
    html_is_blank,
    item_lock,
    parse_moment,
    prerequisite_cycle,
    sanitize_html,
)

ALMATY = ZoneInfo("Asia/Almaty")
# 12 October 2026, 10:00 in Almaty (UTC+5) is 05:00 UTC.
OPENS = datetime(2026, 10, 12, 10, 0, tzinfo=ALMATY)
CLOSES = datetime(2026, 10, 19, 23, 59, tzinfo=ALMATY)
IMAGE = "/content/files/0f8fad5b-d9cb-469f-a165-70867728950e/"


def data(**values):
    return {"available_from": None, "available_until": None, "prerequisite_id": None} | values


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- item_lock -------------------------------------------------------------------------------------


def test_open_without_dates_or_prerequisite():
    assert item_lock(data=data(), now=OPENS, completed_item_ids=set()) == ""


def test_locked_before_it_opens_names_the_moment_in_almaty_time():
    reason = item_lock(
        data=data(available_from=OPENS.isoformat()), now=OPENS - timedelta(microseconds=1), completed_item_ids=set()
    )
    assert reason == "Opens on Oct. 12, 2026, 10 a.m."


def test_open_at_the_very_moment_it_opens_even_when_written_in_utc():
    utc = OPENS.astimezone(UTC).isoformat()  # "2026-10-12T05:00:00+00:00"
    assert utc.startswith("2026-10-12T05:00")
    assert item_lock(data=data(available_from=utc), now=OPENS, completed_item_ids=set()) == ""
    # The same instant seen from another time zone is the same instant.
    tokyo = OPENS.astimezone(ZoneInfo("Asia/Tokyo"))
    assert item_lock(data=data(available_from=utc), now=tokyo, completed_item_ids=set()) == ""
    assert item_lock(data=data(available_from=utc), now=tokyo - timedelta(seconds=1), completed_item_ids=set())


def test_open_until_the_last_moment_then_closed():
    closes = data(available_until=CLOSES.isoformat())
    assert item_lock(data=closes, now=CLOSES, completed_item_ids=set()) == ""
    reason = item_lock(data=closes, now=CLOSES + timedelta(microseconds=1), completed_item_ids=set())
    assert reason == "Closed on Oct. 19, 2026, 11:59 p.m."


def test_closing_just_before_midnight_in_almaty_is_the_previous_utc_day():
    # 00:30 on 20 October in Almaty is still 19 October in UTC: the label uses Almaty time.
    closes = datetime(2026, 10, 20, 0, 30, tzinfo=ALMATY)
    assert closes.astimezone(UTC).day == 19
    reason = item_lock(
        data=data(available_until=closes.astimezone(UTC).isoformat()),
        now=closes + timedelta(minutes=1),
        completed_item_ids=set(),
    )
    assert reason == "Closed on Oct. 20, 2026, 12:30 a.m."


def test_naive_moment_in_data_is_read_in_almaty_time():
    assert parse_moment("2026-10-12T10:00:00") == OPENS
    assert item_lock(data=data(available_from="2026-10-12T10:00:00"), now=OPENS, completed_item_ids=set()) == ""


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        item_lock(data=data(), now=datetime(2026, 10, 12, 10, 0), completed_item_ids=set())


def test_prerequisite_not_completed_locks_with_its_title():
    reason = item_lock(data=data(prerequisite_id=7), now=OPENS, completed_item_ids={3}, prerequisite_title="Дәріс 1")
    assert reason == "Opens after you complete “Дәріс 1”"
    assert item_lock(data=data(prerequisite_id=7), now=OPENS, completed_item_ids={3}) == (
        "Opens after you complete the previous item"
    )


def test_prerequisite_completed_opens():
    assert item_lock(data=data(prerequisite_id=7), now=OPENS, completed_item_ids={3, 7}) == ""


def test_dates_are_checked_before_the_prerequisite():
    reason = item_lock(
        data=data(available_from=OPENS.isoformat(), prerequisite_id=7),
        now=OPENS - timedelta(days=1),
        completed_item_ids=set(),
        prerequisite_title="A",
    )
    assert reason.startswith("Opens on")


def test_lock_reason_is_translated():
    with translation.override("ru"):
        reason = item_lock(data=data(prerequisite_id=7), now=OPENS, completed_item_ids=set(), prerequisite_title="A")
    with translation.override("en"):
        english = item_lock(data=data(prerequisite_id=7), now=OPENS, completed_item_ids=set(), prerequisite_title="A")
    assert "A" in reason
    assert "A" in english


def test_availability_error():
    assert availability_error(OPENS, CLOSES) == ""
    assert availability_error(None, CLOSES) == ""
    assert availability_error(OPENS, None) == ""
    assert availability_error(OPENS, OPENS) != ""
    assert availability_error(CLOSES, OPENS) != ""


@pytest.mark.parametrize(
    ("item_id", "prerequisite_id", "cycle"),
    [
        (1, None, False),
        (1, 1, True),  # itself
        (3, 2, False),  # 3 after 2 after 1: fine
        (1, 3, True),  # 1 after 3, but 3 → 2 → 1 already
        (1, 2, True),
        (None, 2, False),  # a new item cannot be in a loop
        (4, 99, False),  # an unknown item ends the chain
    ],
)
def test_prerequisite_cycle(item_id, prerequisite_id, cycle):
    parents = {1: None, 2: 1, 3: 2, 4: None}
    assert prerequisite_cycle(item_id=item_id, prerequisite_id=prerequisite_id, parents=parents) is cycle


def test_prerequisite_cycle_stops_on_an_existing_loop():
    assert prerequisite_cycle(item_id=9, prerequisite_id=1, parents={1: 2, 2: 1}) is False


# --- sanitize_html -------------------------------------------------------------------------------


def test_scripts_and_their_text_are_removed():
    assert sanitize_html("<p>a</p><script>alert('x')</script><p>b</p>") == "<p>a</p><p>b</p>"
    assert sanitize_html("<p>a<style>p{color:red}</style></p>") == "<p>a</p>"
    assert "alert" not in sanitize_html("<svg><script>alert(1)</script></svg><p>x</p>")


def test_event_handlers_style_and_class_are_removed():
    cleaned = sanitize_html('<p onclick="steal()" style="color:red" class="x" onmouseover=a()>text</p>')
    assert cleaned == "<p>text</p>"


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"],
)
def test_dangerous_link_targets_are_removed(href):
    cleaned = sanitize_html(f'<a href="{href}">x</a>')
    assert "href" not in cleaned
    assert cleaned == '<a rel="noopener noreferrer">x</a>'


def test_links_keep_http_https_mailto_and_get_noopener():
    cleaned = sanitize_html('<a href="https://edu.kz/a?b=1&c=2" target="_blank">x</a> <a href="mailto:a@b.kz">m</a>')
    assert cleaned == (
        '<a href="https://edu.kz/a?b=1&amp;c=2" rel="noopener noreferrer">x</a> '
        '<a href="mailto:a@b.kz" rel="noopener noreferrer">m</a>'
    )


def test_images_only_from_our_own_stored_files():
    assert sanitize_html(f'<img src="{IMAGE}" alt="Схема">') == f'<img src="{IMAGE}" alt="Схема">'
    # Anything else is dropped whole: outside images would leak who reads the page, and the CSP refuses them.
    assert sanitize_html('<p>x<img src="https://evil.example/t.png" alt="t"></p>') == "<p>x</p>"
    assert sanitize_html(f'<img src="{IMAGE}x" alt="t">') == ""
    assert sanitize_html('<img src="data:image/png;base64,AAAA" alt="t">') == ""
    assert sanitize_html(f'<img src="javascript:alert(1)//{IMAGE}" alt="t">') == ""


def test_image_without_alternative_text_gets_an_empty_one():
    assert sanitize_html(f'<img src="{IMAGE}" onerror="x()">') == f'<img src="{IMAGE}" alt="">'


def test_tables_lists_code_and_headings_are_kept():
    html = (
        "<h2>Тақырып</h2><ol><li>бір</li><li>екі</li></ol><ul><li>x</li></ul>"
        '<table><caption>Кесте</caption><thead><tr><th scope="col" colspan="2">A</th></tr></thead>'
        '<tbody><tr><td rowspan="1">1</td><td>2</td></tr></tbody></table>'
        "<pre><code>print(1 &lt; 2)</code></pre><blockquote><p>q</p></blockquote><p><sub>2</sub><sup>3</sup></p>"
    )
    assert sanitize_html(html) == html


def test_bad_attribute_values_are_removed():
    assert sanitize_html('<table><tbody><tr><th scope="evil" colspan="x">A</th></tr></tbody></table>') == (
        "<table><tbody><tr><th>A</th></tr></tbody></table>"
    )


def test_h1_becomes_text_the_page_has_its_own_title():
    assert sanitize_html("<h1>Big</h1>") == "Big"


@pytest.mark.parametrize(
    "formula",
    [r"\(x^2 + y^2 = z^2\)", r"\[\frac{a}{b}\]", r"$$\sum_{i=1}^{n} i$$", r"\begin{align} a &= b \end{align}"],
)
def test_mathjax_delimiters_are_kept_as_text(formula):
    cleaned = sanitize_html(f"<p>{formula}</p>")
    assert cleaned == f"<p>{formula.replace('&', '&amp;')}</p>"


def test_a_less_than_sign_in_a_formula_is_escaped_not_lost():
    assert sanitize_html(r"<p>\(a < b\)</p>") == r"<p>\(a &lt; b\)</p>"


def test_comments_and_unknown_tags_go_but_their_text_stays():
    assert sanitize_html("<p>a<!-- secret --><marquee>b</marquee><iframe src=x>c</iframe></p>") == "<p>ab</p>"


def test_blank_editor_output_is_stored_empty():
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html("<p> &nbsp; </p>") == ""
    assert html_is_blank("<p><br></p>")
    assert not html_is_blank(f'<p><img src="{IMAGE}" alt=""></p>')


def test_body_asset_ids_lists_each_image_once_in_order():
    other = "1f8fad5b-d9cb-469f-a165-70867728950e"
    html = sanitize_html(
        f'<img src="{IMAGE}" alt="a"><img alt="b" src="/content/files/{other}/"><img src="{IMAGE}" alt="c">'
    )
    assert body_asset_ids(html) == ["0f8fad5b-d9cb-469f-a165-70867728950e", other]
    assert body_asset_ids("<p>no images</p>") == []
