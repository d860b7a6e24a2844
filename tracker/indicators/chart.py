"""A small chart of an indicator's readings against its target, drawn on the server as SVG.

No JavaScript and no inline style (the CSP allows neither): colours and fonts are SVG
presentation attributes. The chart is one image to assistive technology (role="img" with a
<title> and a <desc> that says what it shows); the page has the same numbers in a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from tracker.indicators.framework import IndicatorStanding, format_value, reading_rag
from tracker.models import Rag
from tracker.rules import periods

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 44
MOST_X_LABELS = 8

# GOV.UK Frontend's colours. Points have a black outline, so each stands out from the white
# background whatever its fill (WCAG 1.4.11).
INK, LINE, GRID, TARGET = "#0b0c0c", "#1d70b8", "#b1b4b6", "#505a5f"
RAG_FILL = {Rag.RED: "#d4351c", Rag.AMBER: "#f47738", Rag.GREEN: "#00703c"}


@dataclass(frozen=True)
class Point:
    label: str  # on the axis: "Mar 21"
    value: float
    rag: Rag


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines."""
    rough = span / ticks if span > 0 else 1
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def _number(value: float) -> str:
    text = f"{Decimal(str(value)):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _attrs(**attributes: object) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in attributes.items()
    )


def _tag(name: str, content: str = "", **attributes: object) -> str:
    if content:
        return f"<{name} {_attrs(**attributes)}>{content}</{name}>"
    return f"<{name} {_attrs(**attributes)}/>"


def chart_svg(
    points: list[Point], *, target: float, target_text: str, title: str, desc: str, id_prefix: str
) -> Markup:
    """The chart's SVG markup. ``target_text`` labels the target line ("Target 75%")."""
    values = [p.value for p in points] + [target]
    low, high = min(values), max(values)
    if low >= 0:
        low = 0.0  # an honest baseline for counts and percentages
    step = nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high <= low:
        high = low + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h * (high - value) / (high - low), 1)

    def x(index: int) -> float:
        if len(points) == 1:
            return LEFT + plot_w / 2
        return round(LEFT + 12 + (plot_w - 24) * index / (len(points) - 1), 1)

    font = {"font_family": "arial, sans-serif", "font_size": 14, "fill": INK}
    parts = [
        _tag("title", escape(title), id=f"{id_prefix}-title"),
        _tag("desc", escape(desc), id=f"{id_prefix}-desc"),
    ]
    gridline = low
    while gridline <= high + step / 1000:
        parts.append(
            _tag("line", x1=LEFT, x2=WIDTH - RIGHT, y1=y(gridline), y2=y(gridline), stroke=GRID)
        )
        parts.append(
            _tag(
                "text",
                escape(_number(round(gridline, 10))),
                x=LEFT - 8,
                y=y(gridline) + 5,
                text_anchor="end",
                **font,
            )
        )
        gridline += step
    parts.append(
        _tag(
            "line",
            x1=LEFT,
            x2=WIDTH - RIGHT,
            y1=y(target),
            y2=y(target),
            stroke=TARGET,
            stroke_width=2,
            stroke_dasharray="8 6",
        )
    )
    parts.append(
        _tag(
            "text",
            escape(target_text),
            x=WIDTH - RIGHT,
            y=y(target) - 6,
            text_anchor="end",
            **{**font, "fill": TARGET, "font_weight": "bold"},
        )
    )
    if len(points) > 1:
        parts.append(
            _tag(
                "polyline",
                points=" ".join(f"{x(i)},{y(p.value)}" for i, p in enumerate(points)),
                fill="none",
                stroke=LINE,
                stroke_width=3,
            )
        )
    every = max(1, math.ceil(len(points) / MOST_X_LABELS))
    for i, point in enumerate(points):
        parts.append(
            _tag("circle", cx=x(i), cy=y(point.value), r=6, fill=RAG_FILL[point.rag], stroke=INK)
        )
        if (len(points) - 1 - i) % every == 0:  # always label the latest
            parts.append(
                _tag(
                    "text",
                    escape(point.label),
                    x=x(i),
                    y=HEIGHT - BOTTOM + 24,
                    text_anchor="middle",
                    **font,
                )
            )
    # Every text and attribute value in parts went through escape() in _tag.
    return Markup(  # noqa: S704  # nosec B704
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">' + "".join(parts) + "</svg>"
    )


def standing_chart(standing: IndicatorStanding) -> Markup | None:
    """The indicator's readings against its target, described in words for screen readers."""
    indicator = standing.indicator
    if not standing.readings:
        return None
    unit = indicator.unit
    points = [
        Point(
            periods.short_label(r.period_start, indicator.frequency),
            r.value,
            reading_rag(indicator, r),
        )
        for r in standing.readings
    ]
    first, latest = standing.readings[0], standing.readings[-1]
    span = (
        f"{len(points)} readings from {periods.label(first.period_start, indicator.frequency)} "
        f"to {periods.label(latest.period_start, indicator.frequency)}"
        if len(points) > 1
        else f"One reading, for {periods.label(latest.period_start, indicator.frequency)}"
    )
    desc = (
        f"{span}, against a target of {format_value(indicator.target, unit)} "
        f"({indicator.direction.label.lower()}). Latest: {format_value(latest.value, unit)}, "
        f"{standing.rag.label}."
    )
    return chart_svg(
        points,
        target=indicator.target,
        target_text=f"Target {format_value(indicator.target, unit)}",
        title=f"Readings of indicator {indicator.number} against its target",
        desc=desc,
        id_prefix=f"chart-{indicator.id}",
    )
