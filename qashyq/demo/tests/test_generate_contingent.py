from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from qashyq.academics.models import Programme, StudyGroup
from qashyq.core.iin import iin_parse
from qashyq.records.models import Order, OrderItem, OrderNumberCounter, Student
from qashyq.records.rules import search_fold


@pytest.mark.django_db
class TestGenerateContingent:
    def test_refuses_in_production_and_writes_nothing(self, settings, monkeypatch):
        settings.PRODUCTION = True
        with pytest.raises(CommandError, match="production"):
            call_command("generate_contingent", students=50, orders=50, groups=5)
        settings.PRODUCTION = False
        monkeypatch.setenv("QASHYQ_ENV", "production")
        with pytest.raises(CommandError, match="production"):
            call_command("generate_contingent", students=50, orders=50, groups=5)
        assert Student.objects.count() == Order.objects.count() == Programme.objects.count() == 0

    def test_makes_students_and_orders_numbered_per_year(self, capsys):
        call_command("generate_contingent", students=600, orders=900, groups=12, batch=250)
        out = capsys.readouterr().out
        assert "students       600 / 600" in out
        assert "Done: 600 students, 900 orders." in out

        assert StudyGroup.objects.count() == 12
        students = list(Student.objects.all())
        assert len(students) == 600
        assert len({s.iin for s in students}) == 600
        for student in students:
            facts = iin_parse(student.iin)
            assert (facts.birth_date, facts.sex) == (student.birth_date, student.sex)
            assert student.name_latin
            assert not any("\u0400" <= c <= "\u04ff" for c in student.name_latin)
            assert search_fold(student.last_name) in student.search_text
            assert (student.group is None) == (student.status == "applicant")

        orders = list(Order.objects.annotate(n=Count("items")).order_by("year", "number"))
        assert len(orders) == 900
        assert {o.status for o in orders} == {"in_force"}
        assert all(o.n >= 1 for o in orders)
        numbers: dict[int, list[int]] = defaultdict(list)
        for order in orders:
            numbers[order.year].append(order.number)
            assert order.number_label == f"{order.number}-ОД"
            assert order.signed_by_id is not None
        for year, given in numbers.items():
            assert given == list(range(1, len(given) + 1)), year  # no gaps, no duplicates
            assert OrderNumberCounter.objects.get(year=year).last_number == len(given)
        admitted = OrderItem.objects.filter(order__kind="admission").values("student").distinct().count()
        assert admitted == Student.objects.exclude(status="applicant").count()

    def test_a_second_run_continues_the_numbers(self):
        call_command("generate_contingent", students=100, orders=150, groups=5, batch=100)
        call_command("generate_contingent", students=100, orders=150, groups=5, batch=100, seed=7)
        assert Student.objects.count() == 200
        for year in Order.objects.values_list("year", flat=True).distinct():
            given = sorted(Order.objects.filter(year=year).values_list("number", flat=True))
            assert given == list(range(1, len(given) + 1))
