"""Reads of the organization: the profile, and the structure as a tree with positions and current staff."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from qashyq.organization.models import Institution, Position, StaffMember, Unit


def institution_current() -> Institution | None:
    """The institution profile (one per installation), or None before anyone fills it in."""
    return Institution.objects.order_by("pk").first()


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    positions: list[Position] = field(default_factory=list)
    children: list["UnitNode"] = field(default_factory=list)


def unit_tree() -> list[UnitNode]:
    """Every unit in tree order (parents before their children), each with its positions and their current
    holders: three queries whatever the size of the structure."""
    current = StaffMember.objects.filter(end_date__isnull=True).select_related("user").order_by("start_date", "pk")
    positions = Position.objects.order_by("name_kk", "pk").prefetch_related(
        Prefetch("holders", queryset=current, to_attr="current_holders")
    )
    units = list(Unit.objects.prefetch_related(Prefetch("positions", queryset=positions)).order_by("kind", "name_kk"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[UnitNode] = []

    def walk(parent_id: int | None, depth: int) -> list[UnitNode]:
        nodes = []
        for unit in children.get(parent_id, []):
            node = UnitNode(unit=unit, depth=depth, positions=list(unit.positions.all()))
            ordered.append(node)
            node.children = walk(unit.pk, depth + 1)
            nodes.append(node)
        return nodes

    walk(None, 0)
    return ordered


def unit_choices(*, exclude: Unit | None = None) -> list[tuple[int, str]]:
    """Units to choose a parent from, indented by depth (without `exclude` and its sub-units)."""
    rows: list[tuple[int, str]] = []
    skip_below: int | None = None
    for node in unit_tree():
        if skip_below is not None:
            if node.depth > skip_below:
                continue
            skip_below = None
        if exclude is not None and node.unit.pk == exclude.pk:
            skip_below = node.depth
            continue
        rows.append((node.unit.pk, "— " * node.depth + node.unit.name))
    return rows


def staff_history(*, position: Position) -> list[StaffMember]:
    return list(position.holders.select_related("user").order_by("-start_date", "-pk"))
