"""Words of official texts (orders, their attachments) that depend on data: dates written out in Kazakh and
in Russian, a signer's name, and the few tables the documents of several apps share. The sentences
themselves are in each app's templates."""

from datetime import date
from typing import Any

MONTHS_KK = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
# Ablative case ("from ..."), which follows the last sound of the month's name.
MONTHS_KK_FROM = (
    "қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан",
    "шілдеден", "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан",
)  # fmt: skip
# "of <date>" before a noun ("... қарашадағы № 137-ОД бұйрық"): locative case with -ғы/-гі.
MONTHS_KK_OF = (
    "қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі", "мамырдағы", "маусымдағы",
    "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы", "қарашадағы", "желтоқсандағы",
)  # fmt: skip
# Dative case ("until ..." = "<date>-ға дейін").
MONTHS_KK_TO = (
    "қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға", "маусымға",
    "шілдеге", "тамызға", "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға",
)  # fmt: skip
MONTHS_RU_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip

# A student's form of study (academics' FormOfStudy) in the documents' words.
FORM_OF_STUDY = {
    "kk": {"full_time": "күндізгі", "part_time": "кешкі", "correspondence": "сырттай"},
    "ru": {"full_time": "очная", "part_time": "вечерняя", "correspondence": "заочная"},
}
# The DLT types of rule 2 (records' DltType), as an order and its attachments state them.
DLT_TYPE_WORDS: dict[str, dict[str, str]] = {
    "kk": {"tv": "ТВ-технология", "network": "желілік технология", "case": "кейс-технология"},
    "ru": {"tv": "ТВ-технология", "network": "сетевая технология", "case": "кейс-технология"},
}


def date_numeric(value: date | None) -> str:
    """ "01.09.2026" ("" for no date)."""
    return f"{value:%d.%m.%Y}" if value else ""


def date_words(value: date, language: str) -> str:
    """ "2026 жылғы 1 қыркүйек" / "1 сентября 2026 года"."""
    if language == "kk":
        return f"{value.year} жылғы {value.day} {MONTHS_KK[value.month - 1]}"
    return f"{value.day} {MONTHS_RU_GENITIVE[value.month - 1]} {value.year} года"


def date_of_words(value: date, language: str) -> str:
    """ "2026 жылғы 25 тамыздағы" / "от 25 августа 2026 года": the date of a document named after it."""
    if language == "kk":
        return f"{value.year} жылғы {value.day} {MONTHS_KK_OF[value.month - 1]}"
    return f"от {date_words(value, language)}"


def date_from_words(value: date, language: str) -> str:
    """ "2026 жылғы 1 қыркүйектен бастап" / "с 1 сентября 2026 года"."""
    if language == "kk":
        return f"{value.year} жылғы {value.day} {MONTHS_KK_FROM[value.month - 1]} бастап"
    return f"с {date_words(value, language)}"


def date_until_words(value: date, language: str) -> str:
    """ "2027 жылғы 30 маусымға дейін" / "по 30 июня 2027 года" (the day itself included)."""
    if language == "kk":
        return f"{value.year} жылғы {value.day} {MONTHS_KK_TO[value.month - 1]} дейін"
    return f"по {date_words(value, language)}"


def person_name(user: Any) -> str:
    """A signature's name: initials and surname, "А.С. Сейітова" ("" for nobody)."""
    if user is None:
        return ""
    initials = "".join(f"{part[0]}." for part in (user.first_name, getattr(user, "patronymic", "")) if part)
    return f"{initials} {user.last_name}".strip() or user.get_username()
