import factory
from factory.django import DjangoModelFactory

from qashyq.organization.models import Position, StaffMember, Unit, UnitKind


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    kind = UnitKind.DEPARTMENT
    name_kk = factory.Sequence(lambda n: f"Кафедра {n}")
    name_ru = factory.Sequence(lambda n: f"Кафедра {n}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    unit = factory.SubFactory(UnitFactory)
    name_kk = factory.Sequence(lambda n: f"Лауазым {n}")
    grants_role = ""


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    position = factory.SubFactory(PositionFactory)
    start_date = factory.Faker("date_between", start_date="-3y", end_date="-1d")
