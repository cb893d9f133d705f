"""Alphabetical order of names as a Kazakh registrar lists them: the 42 letters of the Kazakh Cyrillic alphabet
(А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я), which keeps the Russian
alphabet's order, then other letters (Latin names of foreign students) by code point. Capitals and small letters
sort together; a space or a hyphen comes before any letter, so "Ли Ан" precedes "Лиана".

A database's collation cannot be relied on for this: SQLite and PostgreSQL's C collation put Ә, Қ, Ү after Я.
Lists that are read whole (a journal, a grade sheet, a group's roster) are sorted in Python with `name_key`."""

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK = {letter: rank for rank, letter in enumerate(KAZAKH_ALPHABET)}


def text_key(text: str) -> tuple[tuple[int, int], ...]:
    """The sort key of one word or phrase."""
    key = []
    for char in text.casefold():
        if char in _RANK:
            key.append((1, _RANK[char]))
        elif char.isalpha():
            key.append((2, ord(char)))
        else:
            key.append((0, ord(char)))
    return tuple(key)


def name_key(*parts: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The sort key of a person's name given as its parts in the order they are compared (surname, given
    name, patronymic)."""
    return tuple(text_key(part or "") for part in parts)
