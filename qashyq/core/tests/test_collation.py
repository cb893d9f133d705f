from qashyq.core.collation import KAZAKH_ALPHABET, name_key, text_key


def test_the_alphabet_has_its_42_letters_and_keeps_the_russian_order():
    assert len(KAZAKH_ALPHABET) == 42
    russian = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    assert "".join(c for c in KAZAKH_ALPHABET if c in russian) == russian


def test_kazakh_letters_sort_where_the_alphabet_puts_them_not_by_code_point():
    names = ["Ұзақбаев", "Әбілқасым", "Яковлев", "Қасымов", "Ахметов", "Ильин", "Іскаков", "Ыдырысов", "Өтебаев"]
    assert sorted(names, key=text_key) == [
        "Ахметов",
        "Әбілқасым",
        "Ильин",
        "Қасымов",
        "Өтебаев",
        "Ұзақбаев",
        "Ыдырысов",
        "Іскаков",
        "Яковлев",
    ]
    assert sorted(names) != sorted(names, key=text_key)  # what a binary collation would give


def test_case_is_ignored_a_space_comes_first_and_latin_names_follow_the_cyrillic():
    assert sorted(["лиана", "Ли Ан", "Smith", "Лиана"], key=text_key) == ["Ли Ан", "лиана", "Лиана", "Smith"]


def test_a_name_is_compared_part_by_part():
    people = [("Сәтбаев", "Ерлан", ""), ("Сәтбаев", "Әсел", "Қанатқызы"), ("Сатпаев", "Ұлан", None)]
    assert sorted(people, key=lambda p: name_key(*p)) == [
        ("Сатпаев", "Ұлан", None),
        ("Сәтбаев", "Әсел", "Қанатқызы"),
        ("Сәтбаев", "Ерлан", ""),
    ]
