"""Kazakh and Russian names for the demo institution and for test factories (Faker has no kk_KZ)."""

KAZAKH_MALE = (
    "Айбек",
    "Арман",
    "Асхат",
    "Бауыржан",
    "Дәурен",
    "Ерлан",
    "Жандос",
    "Қайрат",
    "Мұрат",
    "Нұрлан",
    "Олжас",
    "Серік",
    "Тимур",
    "Ұлан",
    "Әлихан",
    "Ержан",
    "Данияр",
    "Азамат",
    "Ғалым",
    "Талғат",
)
KAZAKH_FEMALE = (
    "Айгерім",
    "Әсел",
    "Гүлнар",
    "Дана",
    "Жанар",
    "Зарина",
    "Камила",
    "Мадина",
    "Нұргүл",
    "Сәуле",
    "Томирис",
    "Ұлжан",
    "Балжан",
    "Аружан",
    "Ақбота",
    "Інжу",
    "Меруерт",
    "Шынар",
    "Айжан",
    "Әйгерім",
)
KAZAKH_SURNAMES = (
    "Әбілқасым",
    "Жұмабаев",
    "Қасымов",
    "Нұрпейісов",
    "Сәтбаев",
    "Оспанов",
    "Төлеуов",
    "Бекмұратов",
    "Ермеков",
    "Шәкәрім",
    "Ұзақбаев",
    "Ғабитов",
    "Серікбаев",
    "Құрманов",
    "Ахметов",
    "Байтұрсынов",
)
RUSSIAN_MALE = ("Алексей", "Дмитрий", "Иван", "Никита", "Сергей", "Павел", "Андрей", "Михаил")
RUSSIAN_FEMALE = ("Анна", "Елена", "Мария", "Ольга", "Татьяна", "Наталья", "Ксения", "Екатерина")
RUSSIAN_SURNAMES = ("Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Морозов")


def female_surname(surname: str) -> str:
    """Қасымов → Қасымова; surnames without a Russian ending stay as they are."""
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


def kazakh_patronymic(father: str, *, female: bool) -> str:
    return f"{father} {'қызы' if female else 'ұлы'}"


RUSSIAN_PATRONYMIC_STEMS = {
    "Алексей": "Алексеев",
    "Дмитрий": "Дмитриев",
    "Иван": "Иванов",
    "Никита": "Никитич",
    "Сергей": "Сергеев",
    "Павел": "Павлов",
    "Андрей": "Андреев",
    "Михаил": "Михайлов",
}


def russian_patronymic(father: str, *, female: bool) -> str:
    """Иван → Иванович / Ивановна; Никита → Никитич / Никитична."""
    stem = RUSSIAN_PATRONYMIC_STEMS[father]
    if stem.endswith("ич"):
        return stem + "на" if female else stem
    return stem + ("на" if female else "ич")
