"""Pure rules of the student body (no database): the Latin spelling of a Cyrillic name.

Transliteration follows the Kazakh Latin alphabet of 2021 (the 31-letter version presented by the
government in January 2021), extended to the Russian letters that occur in Kazakh names:

    а a   ә ä   б b   в v   г g   ғ ğ   д d   е e   ё io  ж j   з z   и i   й i   к k   қ q
    л l   м m   н n   ң ñ   о o   ө ö   п p   р r   с s   т t   у u   ұ ū   ү ü   ф f   х h
    һ h   ц ts  ч ch  ш ş   щ şş  ъ —   ы y   і ı   ь —   э e   ю iu  я ia

Capitals: И and Й give İ (dotted), І gives I (dotless), as in the alphabet, and so Ё, Ю, Я give
İo, İu, İa; a letter written with two Latin letters is capitalised on its first only ("Шаяхметов" →
"Şaiahmetov", "Чингиз" → "Chingiz") unless the word is written in capitals ("ЩУКИН" → "ŞŞUKİN").
Anything that is not Cyrillic (Latin letters, digits, spaces, hyphens, apostrophes) is kept as it is.

Search "in any script" compares folded text: lower case, without diacritics (ä → a, ş → s, ı → i,
й → и, ё → е), so "Seitova", "SEIıTOVA" and "сейітова" all find "Сейітова".
"""

import unicodedata

LOWER: dict[str, str] = {
    "а": "a",
    "ә": "ä",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ñ",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "ū",
    "ү": "ü",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "ş",
    "щ": "şş",
    "ъ": "",
    "ы": "y",
    "і": "ı",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}

# Capitals where str.upper()/str.capitalize() would be wrong: "i".upper() is "I", but И is İ.
_UPPER_SPECIAL: dict[str, str] = {"и": "İ", "й": "İ", "і": "I"}


def _upper_latin(latin: str) -> str:
    return latin.replace("i", "İ").replace("ı", "I").upper()


def _capital(cyrillic_lower: str, *, whole_word_upper: bool) -> str:
    if cyrillic_lower in _UPPER_SPECIAL:
        return _UPPER_SPECIAL[cyrillic_lower]
    latin = LOWER[cyrillic_lower]
    if not latin:
        return ""
    if whole_word_upper:
        return _upper_latin(latin)
    return _upper_latin(latin[0]) + latin[1:]


def _is_upper_letter(char: str) -> bool:
    return char.isalpha() and char.isupper()


def transliterate(text: str) -> str:
    """The Latin spelling of a Kazakh or Russian name in Cyrillic letters (table above)."""
    out: list[str] = []
    for i, char in enumerate(text):
        lower = char.lower()
        if lower not in LOWER:
            out.append(char)
            continue
        if char == lower:
            out.append(LOWER[lower])
            continue
        # A capital: written in full capitals when it stands in a word of capitals.
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        whole_word_upper = _is_upper_letter(after) or (not after.isalpha() and _is_upper_letter(before))
        out.append(_capital(lower, whole_word_upper=whole_word_upper))
    return "".join(out)


def name_latin(*, last_name: str, first_name: str, patronymic: str = "") -> str:
    """The whole name in Latin letters: "last first patronymic", each part transliterated."""
    return " ".join(transliterate(part.strip()) for part in (last_name, first_name, patronymic) if part.strip())


def search_fold(text: str) -> str:
    """Lower case without diacritics, for comparing names: "Şaiahmetov" → "saiahmetov"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("ı", "i").split())


def search_text(*, last_name: str, first_name: str, patronymic: str = "", name_latin: str = "") -> str:
    """What a student is found by: the name as written, its Latin spelling(s), all folded."""
    cyrillic = " ".join(p for p in (last_name, first_name, patronymic) if p)
    parts = [cyrillic, name_latin, transliterate(cyrillic)]
    return search_fold(" ".join(p for p in parts if p))
