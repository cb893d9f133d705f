"""The Latin spelling of names (Kazakh Latin alphabet of 2021) and the folding used by name search."""

import pytest

from qashyq.records import rules

# Every Cyrillic letter of the table, lower case, and what it becomes.
TABLE = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip


def test_the_table_covers_the_kazakh_and_russian_alphabets_exactly():
    assert rules.LOWER == TABLE
    assert len(TABLE) == 42  # 33 Russian letters + 9 Kazakh ones


@pytest.mark.parametrize(("cyrillic", "latin"), sorted(TABLE.items()))
def test_each_lower_case_letter(cyrillic, latin):
    assert rules.transliterate(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("И", "İ"),
        ("Й", "İ"),
        ("І", "I"),
        ("Ә", "Ä"),
        ("Ғ", "Ğ"),
        ("Қ", "Q"),
        ("Ң", "Ñ"),
        ("Ө", "Ö"),
        ("Ұ", "Ū"),
        ("Ү", "Ü"),
        ("Һ", "H"),
        ("Ш", "Ş"),
        ("Ы", "Y"),
        ("Ч", "Ch"),
        ("Ц", "Ts"),
        ("Щ", "Şş"),
        ("Ю", "İu"),
        ("Я", "İa"),
        ("Ё", "İo"),
        ("Ъ", ""),
    ],
)
def test_capitals(cyrillic, latin):
    assert rules.transliterate(cyrillic) == latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Сейітова Айгерім Қайратқызы", "Seiıtova Aigerım Qairatqyzy"),
        ("Шаяхметов Чингиз", "Şaiahmetov Chingiz"),
        ("Өмірзақ Ұлжан", "Ömırzaq Ūljan"),
        ("Әлихан Ғалым Нұрланұлы", "Älihan Ğalym Nūrlanūly"),
        ("Жүсіпбек Ілияс", "Jüsıpbek Iliias"),
        ("Иманғали Яковлев", "İmanğali İakovlev"),
        ("Щукин Цой", "Şşukin Tsoi"),
        ("ЩУКИН ЧИНГИЗ", "ŞŞUKİN CHİNGİZ"),
        ("Ч. Ш.", "Ch. Ş."),
        ("Smith-Қожа", "Smith-Qoja"),
        ("Д'Артаньян 2", "D'Artanian 2"),
    ],
)
def test_names(cyrillic, latin):
    assert rules.transliterate(cyrillic) == latin


def test_name_latin_joins_the_parts_and_skips_empty_ones():
    assert rules.name_latin(last_name=" Сейітова ", first_name="Айгерім") == "Seiıtova Aigerım"
    assert rules.name_latin(last_name="Сейітова", first_name="Айгерім", patronymic="Қайратқызы") == (
        "Seiıtova Aigerım Qairatqyzy"
    )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Seiıtova", "seiitova"),
        ("SEIİTOVA", "seiitova"),
        ("Şaiahmetov", "saiahmetov"),
        ("Ömırzaq Ūljan", "omirzaq uljan"),
        ("Ñ Ğ Ä Ü", "n g a u"),
        ("Сейітова", "сеиітова"),
        ("Йогурт Ёлка", "иогурт елка"),
        ("  two   spaces ", "two spaces"),
    ],
)
def test_search_fold(text, folded):
    assert rules.search_fold(text) == folded


def test_search_text_finds_a_name_in_any_script():
    text = rules.search_text(last_name="Сейітова", first_name="Айгерім", name_latin="Seitova Aigerim")
    assert text == "сеиітова аигерім seitova aigerim seiitova aigerim"
    for query in ("сейітова", "СЕЙІТОВА", "Seitova", "seiıtova", "AIGERİM", "Seiitova"):
        assert rules.search_fold(query) in text
