"""Words of official texts shared by the apps' documents: dates in Kazakh and in Russian, a signer's name."""

from datetime import date

import pytest

from qashyq.documents import words


class TestDates:
    @pytest.mark.parametrize(
        ("day", "kk", "ru"),
        [
            (date(2026, 9, 1), "2026 жылғы 1 қыркүйектен бастап", "с 1 сентября 2026 года"),
            (date(2027, 1, 15), "2027 жылғы 15 қаңтардан бастап", "с 15 января 2027 года"),
            (date(2026, 4, 3), "2026 жылғы 3 сәуірден бастап", "с 3 апреля 2026 года"),
            (date(2026, 7, 20), "2026 жылғы 20 шілдеден бастап", "с 20 июля 2026 года"),
            (date(2026, 12, 31), "2026 жылғы 31 желтоқсаннан бастап", "с 31 декабря 2026 года"),
        ],
    )
    def test_dates_from(self, day, kk, ru):
        assert words.date_from_words(day, "kk") == kk
        assert words.date_from_words(day, "ru") == ru

    def test_date_of(self):
        assert words.date_of_words(date(2026, 8, 25), "kk") == "2026 жылғы 25 тамыздағы"
        assert words.date_of_words(date(2026, 4, 2), "kk") == "2026 жылғы 2 сәуірдегі"
        assert words.date_of_words(date(2026, 8, 25), "ru") == "от 25 августа 2026 года"

    def test_date_until(self):
        assert words.date_until_words(date(2027, 6, 30), "kk") == "2027 жылғы 30 маусымға дейін"
        assert words.date_until_words(date(2026, 9, 1), "kk") == "2026 жылғы 1 қыркүйекке дейін"
        assert words.date_until_words(date(2027, 6, 30), "ru") == "по 30 июня 2027 года"

    def test_date_words(self):
        assert words.date_words(date(2026, 8, 25), "kk") == "2026 жылғы 25 тамыз"
        assert words.date_words(date(2026, 8, 25), "ru") == "25 августа 2026 года"

    def test_date_numeric(self):
        assert words.date_numeric(date(2026, 9, 1)) == "01.09.2026"
        assert words.date_numeric(None) == ""

    @pytest.mark.parametrize(
        "months",
        [words.MONTHS_KK, words.MONTHS_KK_FROM, words.MONTHS_KK_OF, words.MONTHS_KK_TO, words.MONTHS_RU_GENITIVE],
    )
    def test_twelve_months(self, months):
        assert len(months) == 12


@pytest.mark.django_db
def test_person_name_is_initials_and_surname(make_user):
    user = make_user(first_name="Айгерім", last_name="Сейітова", patronymic="Болатқызы")
    assert words.person_name(user) == "А.Б. Сейітова"
    user.patronymic = ""
    assert words.person_name(user) == "А. Сейітова"
    assert words.person_name(None) == ""
