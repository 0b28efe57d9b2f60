"""Charts drawn as SVG on the server: no script, readable by a screen reader, printable.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>`` (which states the figures in words), and each mark carries its own ``<title>``
so a pointer or a screen reader gets the exact value. Colours are paired with a second cue
(dash patterns for lines, the order of stacked parts), and the page shows the same figures
as a table beside the chart. Labels are Vietnamese; the caller passes them in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Okabe–Ito's colour-blind-safe palette, then darker tones for the eleventh point on.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
)
DASHES = ("", "6 3", "2 3", "8 3 2 3")
FONT = 'font-family="system-ui, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"'


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a stacked bar: its label (for the legend) and colour."""

    label: str
    colour: str


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _step(largest: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving at most ``ticks`` intervals."""
    if largest <= 0:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="chart" {FONT} font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _no_data(chart_id: str, title: str, message: str) -> Markup:
    parts = _open(chart_id, title, message, 640, 60)
    parts.append(
        f'<text x="320" y="35" text-anchor="middle" fill="#5b6876">{escape(message)}</text>'
    )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def line_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_label: str,
    empty: str,
) -> Markup:
    """Rates (0 to 1) over the x labels, one line per series; a None breaks the line."""
    if not x_labels or not series:
        return _no_data(chart_id, title, empty)
    width, left, right, top, bottom, pad = 860, 60, 220, 16, 64, 40
    plot_h = 280
    height = max(top + plot_h + bottom, top + 18 * len(series) + 20)
    plot_w = width - left - right
    # The first and last sessions sit ``pad`` inside the plot, so slanted dates stay inside.
    step_x = (plot_w - 2 * pad) / (len(x_labels) - 1) if len(x_labels) > 1 else 0
    parts = _open(chart_id, title, desc, width, height)

    def x(i: int) -> float:
        return left + (pad + i * step_x if len(x_labels) > 1 else plot_w / 2)

    def y(rate: float) -> float:
        return top + plot_h * (1 - rate)

    parts.append('<g class="axis" fill="#5b6876" stroke="#d5dbe1">')
    for tick in range(0, 101, 25):
        ty = y(tick / 100)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" stroke="none">{tick}%</text>'
        )
    for i, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="end" stroke="none" '
            f'transform="rotate(-35 {x(i):.1f} {top + plot_h + 16})">{escape(label)}</text>'
        )
    parts.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" stroke="none" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    parts.append("</g>")
    for n, (name, values) in enumerate(series):
        colour, dash = PALETTE[n % len(PALETTE)], DASHES[(n // len(PALETTE) + n) % len(DASHES)]
        parts.append(f'<g class="series" aria-label="{escape(name)}">')
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dashed}/>'
                )
        for i, value in enumerate(values):
            if value is not None:
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}">'
                    f"<title>{escape(name)}, {escape(x_labels[i])}: {_percent(value)}</title>"
                    "</circle>"
                )
        legend_y = top + 10 + 18 * n
        legend_x = width - right + 14
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{legend_y - 4}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"{dashed}/>'
            f'<text x="{legend_x + 28}" y="{legend_y}">{escape(_short(name, 24))}'
            f"<title>{escape(name)}</title></text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("\n".join(parts))


def stacked_bars(
    chart_id: str,
    *,
    title: str,
    desc: str,
    parts_of: Sequence[Part],
    rows: Sequence[tuple[str, Sequence[int]]],
    axis_label: str,
    empty: str,
) -> Markup:
    """One horizontal bar per row, its counts stacked in the order of ``parts_of``."""
    if _no_counts(rows):
        return _no_data(chart_id, title, empty)
    width, left, right, bar, gap = 860, 190, 50, 20, 8
    legend, top = _legend(parts_of, width)
    plot_w = width - left - right
    height = top + len(rows) * (bar + gap) + 40
    step, scale_max = _count_scale(rows)
    parts = _open(chart_id, title, desc, width, height)
    parts += legend
    parts += _count_axis(
        step,
        scale_max,
        horizontal=True,
        left=left,
        top=top,
        plot_w=plot_w,
        plot_h=len(rows) * (bar + gap),
        label=axis_label,
    )
    for r, (label, counts) in enumerate(rows):
        row_y = top + r * (bar + gap)
        parts.append(f'<g class="bar" aria-label="{escape(label)}">')
        parts.append(
            f'<text x="{left - 8}" y="{row_y + bar / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_short(label, 28))}<title>{escape(label)}</title></text>"
        )
        start = 0.0
        for part, count in zip(parts_of, counts, strict=True):
            if count:
                w = plot_w * count / scale_max
                parts.append(
                    f'<rect x="{left + start:.1f}" y="{row_y}" width="{w:.1f}" height="{bar}" '
                    f'fill="{part.colour}"><title>{escape(label)} — {escape(part.label)}: '
                    f"{count}</title></rect>"
                )
                start += w
        parts.append(
            f'<text x="{left + start + 4:.1f}" y="{row_y + bar / 2 + 4:.1f}">{sum(counts)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("\n".join(parts))


def stacked_columns(
    chart_id: str,
    *,
    title: str,
    desc: str,
    parts_of: Sequence[Part],
    columns: Sequence[tuple[str, Sequence[int]]],
    axis_label: str,
    empty: str,
) -> Markup:
    """One vertical column per label (months, in order), its counts stacked."""
    if _no_counts(columns):
        return _no_data(chart_id, title, empty)
    width, left, right, bottom, plot_h = 860, 56, 16, 56, 240
    legend, top = _legend(parts_of, width)
    plot_w = width - left - right
    height = top + plot_h + bottom
    step, scale_max = _count_scale(columns)
    slot = plot_w / len(columns)
    bar = min(48.0, slot * 0.7)
    parts = _open(chart_id, title, desc, width, height)
    parts += legend
    base = top + plot_h
    parts += _count_axis(
        step,
        scale_max,
        horizontal=False,
        left=left,
        top=top,
        plot_w=plot_w,
        plot_h=plot_h,
        label=axis_label,
    )
    for c, (label, counts) in enumerate(columns):
        cx = left + slot * c + (slot - bar) / 2
        parts.append(f'<g class="column" aria-label="{escape(label)}">')
        top_y = float(base)
        for part, count in zip(parts_of, counts, strict=True):
            if count:
                h = plot_h * count / scale_max
                top_y -= h
                parts.append(
                    f'<rect x="{cx:.1f}" y="{top_y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{part.colour}"><title>{escape(label)} — {escape(part.label)}: '
                    f"{count}</title></rect>"
                )
        middle = cx + bar / 2
        parts.append(
            f'<text x="{middle:.1f}" y="{base + 16}" text-anchor="end" fill="#5b6876" '
            f'transform="rotate(-35 {middle:.1f} {base + 16})">{escape(label)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _no_counts(rows: Sequence[tuple[str, Sequence[int]]]) -> bool:
    """Nothing to draw: no rows, or only zeros."""
    return not rows or not any(sum(counts) for _, counts in rows)


def _count_scale(rows: Sequence[tuple[str, Sequence[int]]]) -> tuple[float, float]:
    """The step between ticks (whole, since these are counts) and the top of the scale for
    the largest stacked total of ``rows``."""
    largest = max(sum(counts) for _, counts in rows)
    step = max(1.0, _step(largest))
    return step, step * math.ceil(largest / step)


def _count_axis(
    step: float,
    scale_max: float,
    *,
    horizontal: bool,
    left: int,
    top: int,
    plot_w: int,
    plot_h: int,
    label: str,
) -> list[str]:
    """The count axis of a stacked chart: a grid line and a number at each tick, and the
    axis's label; along the foot of horizontal bars, or up the left of columns."""
    base = top + plot_h
    parts = ['<g class="axis" fill="#5b6876" stroke="#d5dbe1">']
    ticks = round(scale_max / step)
    for t in range(ticks + 1):
        number = _number(t * step)
        if horizontal:
            tx = left + plot_w * t / ticks
            parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 4}" y2="{base}"/>')
            parts.append(
                f'<text x="{tx:.1f}" y="{base + 14}" text-anchor="middle" stroke="none">'
                f"{number}</text>"
            )
        else:
            ty = base - plot_h * t / ticks
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
            parts.append(
                f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" stroke="none">'
                f"{number}</text>"
            )
    if horizontal:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{base + 32}" text-anchor="middle" '
            f'stroke="none">{escape(label)}</text>'
        )
    else:
        parts.append(
            f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" stroke="none" '
            f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(label)}</text>'
        )
    parts.append("</g>")
    return parts


LEGEND_ROW = 18


def _legend(parts_of: Sequence[Part], width: int) -> tuple[list[str], int]:
    """The parts' swatches and labels from the left edge, wrapped to the chart's width;
    returns the marks and where the plot may start below them."""
    items = ['<g class="legend">']
    x, y = 8.0, 16.0
    for part in parts_of:
        span = 22 + 7.2 * len(part.label)  # swatch, gap, and about 7 px a letter at 12 px
        if x + span > width - 8 and x > 8:
            x, y = 8.0, y + LEGEND_ROW
        items.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{part.colour}"/>'
            f'<text x="{x + 16:.1f}" y="{y:.1f}">{escape(part.label)}</text>'
        )
        x += span + 14
    items.append("</g>")
    return items, int(y) + 12 + 14
