"""Bar charts of grade distributions as SVG coordinates, drawn by the templates on the server (no script). Each
chart has a title for screen readers and the page shows the same numbers as a table."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 220, 40, 30, 20


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    label_x: float
    count_y: float
    negative: bool  # a failing grade (FX, F) or a failing score bin: drawn in the warning colour


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    left: int
    axis_y: int
    label_y: int
    top: int  # the highest count (the top of the y axis)


def bar_chart(bars: Sequence[tuple[str, int, bool]]) -> Chart:
    """A chart of `bars` (label, count, negative) side by side, the tallest reaching the top."""
    top = max((count for _label, count, _negative in bars), default=0)
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(bars), 1)
    drawn = []
    for index, (label, count, negative) in enumerate(bars):
        height = round(plot_height * count / top, 1) if top else 0.0
        y = round(HEIGHT - BOTTOM - height, 1)
        drawn.append(
            Bar(
                x=round(LEFT + index * slot + 3, 1),
                y=y,
                width=round(max(slot - 6, 1), 1),
                height=height,
                count=count,
                label=label,
                label_x=round(LEFT + index * slot + slot / 2, 1),
                count_y=round(y - 4, 1),
                negative=negative,
            )
        )
    return Chart(
        bars=tuple(drawn),
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        axis_y=HEIGHT - BOTTOM,
        label_y=HEIGHT - 10,
        top=top,
    )
