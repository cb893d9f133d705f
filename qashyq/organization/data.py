"""What other apps see of the organization: plain frozen data, never the models."""

from dataclasses import dataclass, field

from qashyq.core.i18n import localized


@dataclass(frozen=True)
class InstitutionData:
    id: int
    name_kk: str
    name_ru: str
    name_en: str
    city_kk: str
    city_ru: str
    bin: str
    order_number_suffix: str

    @property
    def name(self) -> str:
        """The name in the active language, falling back kk → ru → en."""
        return localized(self, "name")


@dataclass(frozen=True)
class DltPermission:
    """Whether distance learning technologies may be used on a date, and if not, every reason why (R3)."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)
