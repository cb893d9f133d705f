"""The pure rules of DLT applications (rules 10, 11): each category's conditions with their boundaries, and what
every application needs. No database."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS

from qashyq.dlt import rules
from qashyq.dlt.data import Category, DltType, DocumentType
from qashyq.dlt.rules import Problem


def problems(category, **facts):
    facts.setdefault("document_types", {rules.CATEGORY_DOCUMENT[category]})
    return rules.eligibility_problems(category=category, **facts)


def fields(found):
    return [p.field for p in found]


# --- a business trip abroad: more than 4 calendar months ------------------------------------------------


class TestBusinessTrip:
    START = date(2027, 1, 10)

    def trip(self, until, start=START):
        return problems(Category.BUSINESS_TRIP, abroad_from=start, abroad_until=until)

    def test_exactly_four_months_is_refused(self):
        found = self.trip(date(2027, 5, 10))
        assert fields(found) == ["abroad_until"]
        assert found[0].message == (
            "The business trip from 10.01.2027 to 10.05.2027 lasts 4 months: this category is for a business trip "
            "abroad of more than 4 months."
        )

    def test_four_months_and_a_day_is_accepted(self):
        assert self.trip(date(2027, 5, 11)) == []

    def test_a_three_month_trip_is_refused_naming_its_length(self):
        found = self.trip(date(2027, 4, 10))
        assert len(found) == 1
        assert "lasts 3 months:" in found[0].message

    def test_a_trip_of_three_months_and_some_days_names_both(self):
        found = self.trip(date(2027, 4, 30))
        assert "lasts 3 months and 20 days:" in found[0].message

    def test_calendar_months_at_the_end_of_a_month(self):
        # 31 October + 4 months is the last day of February (2028 is a leap year).
        start = date(2027, 10, 31)
        assert fields(self.trip(date(2028, 2, 29), start=start)) == ["abroad_until"]
        assert self.trip(date(2028, 3, 1), start=start) == []

    def test_a_long_trip_counts_its_years_as_months(self):
        assert self.trip(date(2028, 3, 10)) == []
        assert rules.length_label(self.START, date(2028, 3, 10)) == "14 months"

    def test_dates_are_needed(self):
        found = problems(Category.BUSINESS_TRIP)
        assert found == [
            Problem("abroad_from", "Give the date the business trip starts."),
            Problem("abroad_until", "Give the date the business trip ends."),
        ]

    def test_the_end_must_come_after_the_start(self):
        found = self.trip(self.START)
        assert found == [
            Problem("abroad_until", "The business trip ends on 10.01.2027, which is not after its start on 10.01.2027.")
        ]

    def test_the_order_on_the_trip_is_needed(self):
        found = problems(
            Category.BUSINESS_TRIP, abroad_from=self.START, abroad_until=date(2027, 9, 1), document_types=set()
        )
        assert found == [
            Problem(
                "documents", "Attach the supporting document of this category: “Order on the business trip abroad”."
            )
        ]


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2027, 1, 1), date(2027, 1, 13), "12 days"),
        (date(2027, 1, 1), date(2027, 2, 1), "1 month"),
        (date(2027, 1, 1), date(2027, 2, 2), "1 month and 1 day"),
        (date(2027, 1, 1), date(2027, 5, 2), "4 months and 1 day"),
    ],
)
def test_length_label(start, end, label):
    assert rules.length_label(start, end) == label


@pytest.mark.parametrize(
    ("start", "end", "more"),
    [
        (date(2027, 1, 10), date(2027, 5, 9), False),
        (date(2027, 1, 10), date(2027, 5, 10), False),
        (date(2027, 1, 10), date(2027, 5, 11), True),
    ],
)
def test_lasts_more_than_months(start, end, more):
    assert rules.lasts_more_than_months(start, end, 4) is more


# --- the other four categories --------------------------------------------------------------------------


class TestShortened:
    @pytest.mark.parametrize("basis", ["tvet", "post_secondary", "higher"])
    def test_a_programme_shortened_on_each_basis_is_eligible(self, basis):
        assert problems(Category.SHORTENED, programme_shortened=True, shortened_basis=basis) == []

    def test_a_full_programme_is_refused_naming_it(self):
        found = problems(Category.SHORTENED, programme_code="6B06101", programme_shortened=False)
        assert fields(found) == ["category"]
        assert found[0].message.startswith("Your programme 6B06101 is not a shortened programme")

    def test_a_shortened_programme_on_no_such_basis_is_refused(self):
        found = problems(Category.SHORTENED, programme_code="6B06101", programme_shortened=True, shortened_basis="")
        assert fields(found) == ["category"]
        assert "not on the basis of TVET, post-secondary or higher education" in found[0].message

    def test_the_diploma_is_needed(self):
        found = problems(Category.SHORTENED, programme_shortened=True, shortened_basis="tvet", document_types=set())
        assert fields(found) == ["documents"]
        assert "Diploma of prior education" in found[0].message


class TestDisability:
    def test_a_recorded_disability_with_its_certificate_is_eligible(self):
        assert problems(Category.DISABILITY, disability="group_2") == []

    def test_no_disability_on_record_is_refused(self):
        found = problems(Category.DISABILITY, disability="")
        assert fields(found) == ["category"]
        assert found[0].message.startswith("Your student record holds no disability")

    def test_the_certificate_is_needed(self):
        found = problems(Category.DISABILITY, disability="group_2", document_types={DocumentType.OTHER})
        assert found == [
            Problem("documents", "Attach the supporting document of this category: “Certificate of disability”.")
        ]

    def test_neither_record_nor_certificate_gives_both_messages(self):
        assert fields(problems(Category.DISABILITY, document_types=set())) == ["category", "documents"]


class TestExchange:
    COMPLETE = {
        "host_institution": "Universität Wien",
        "host_country": "Austria",
        "abroad_from": date(2027, 2, 1),
        "abroad_until": date(2027, 6, 30),
    }

    def test_host_country_and_dates_make_it_eligible(self):
        assert problems(Category.EXCHANGE, **self.COMPLETE) == []

    def test_a_bolashak_scholar_is_refused_by_rule_10(self):
        found = problems(Category.EXCHANGE, bolashak=True, **self.COMPLETE)
        assert fields(found) == ["category"]
        assert found[0].message.startswith("Bolashak scholars are excluded by rule 10")

    def test_every_missing_fact_is_named(self):
        found = problems(Category.EXCHANGE, host_institution="  ")
        assert found == [
            Problem("host_institution", "Name the host institution of the exchange programme."),
            Problem("host_country", "Name the country of the host institution."),
            Problem("abroad_from", "Give the date the stay abroad starts."),
            Problem("abroad_until", "Give the date the stay abroad ends."),
        ]

    def test_the_stay_must_end_after_it_starts(self):
        found = problems(Category.EXCHANGE, **{**self.COMPLETE, "abroad_until": date(2027, 1, 31)})
        assert fields(found) == ["abroad_until"]

    def test_the_agreement_is_needed(self):
        found = problems(Category.EXCHANGE, document_types={DocumentType.OTHER}, **self.COMPLETE)
        assert fields(found) == ["documents"]


class TestMilitary:
    def test_correspondence_study_is_eligible(self):
        assert problems(Category.MILITARY, form_of_study="correspondence") == []

    @pytest.mark.parametrize(("form", "label"), [("full_time", "Full-time"), ("part_time", "Part-time")])
    def test_other_forms_are_refused_naming_the_form(self, form, label):
        found = problems(Category.MILITARY, form_of_study=form)
        assert found == [
            Problem(
                "category",
                "Students called up for military service study by DLT only in correspondence (extramural) study; "
                f"your form of study is “{label}”.",
            )
        ]

    def test_the_call_up_notice_is_needed(self):
        found = problems(Category.MILITARY, form_of_study="correspondence", document_types={DocumentType.DISABILITY})
        assert fields(found) == ["documents"]


def test_an_unknown_category_is_refused_alone():
    assert rules.eligibility_problems(category="astronaut") == [
        Problem("category", "Choose one of the five categories of rule 10.")
    ]


# --- what every application needs ------------------------------------------------------------------------


TODAY = date(2026, 11, 26)


def complete(**changes):
    values = {
        "justification": "Called up for military service.",
        "dlt_types": [DltType.NETWORK],
        "starts_on": TODAY,
        "ends_on": date(2027, 6, 30),
        "document_count": 1,
        "today": TODAY,
    }
    values.update(changes)
    return rules.application_problems(**values)


def test_a_complete_application_has_no_problem():
    assert complete() == []


def test_a_blank_justification_is_refused():
    assert complete(justification="  \n ") == [
        Problem("justification", "Write the justification: why you ask to study by DLT.")
    ]


def test_no_document_is_refused():
    assert complete(document_count=0) == [Problem("documents", "Attach at least one supporting document.")]


def test_dlt_types_are_needed_and_known():
    assert fields(complete(dlt_types=[])) == ["dlt_types"]
    assert complete(dlt_types=["network", "radio"]) == [Problem("dlt_types", "Unknown DLT type: radio.")]


def test_the_period_starts_today_or_later():
    assert complete(starts_on=TODAY) == []
    assert complete(starts_on=date(2026, 11, 25)) == [
        Problem("starts_on", "The period starts on 25.11.2026, which has passed: choose today or a later date.")
    ]


def test_a_past_start_is_no_problem_when_today_is_not_given():
    assert complete(starts_on=date(2026, 11, 25), today=None) == []


def test_the_period_ends_after_it_starts():
    assert complete(ends_on=TODAY) == [
        Problem("ends_on", "The period ends on 26.11.2026, which is not after its start on 26.11.2026.")
    ]


def test_every_problem_is_listed_at_once():
    found = complete(justification="", dlt_types=[], starts_on=None, ends_on=None, document_count=0)
    assert fields(found) == ["justification", "dlt_types", "starts_on", "ends_on", "documents"]


def test_problems_by_field_puts_the_whole_applications_under_non_field_errors():
    errors = rules.problems_by_field([Problem("", "a"), Problem("ends_on", "b"), Problem("ends_on", "c")])
    assert errors == {NON_FIELD_ERRORS: ["a"], "ends_on": ["b", "c"]}
