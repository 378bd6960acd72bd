"""Small charts for the council report, drawn on the server as inline SVG: no scripts, no fonts or files from the
network, so they look the same on the page, on paper and in the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

OWN, REGION, MUTED = "#0b5cab", "#9aa8b6", "#5b6b7b"
MIX_COLOURS = ("#0b5cab", "#5fa8d3", "#f2a541", "#c0392b", "#6a994e", "#8e6bb8", "#9aa8b6", "#d4b483")

Number = Decimal | int


@dataclass(frozen=True)
class YearPoint:
    """One year in a chart: the municipality's value and, where comparable, the region's (None: not shown)."""

    year: int
    own: Number | None
    region: Number | None = None
    own_label: str = ""  # the value as printed on the bar ("<5" when suppressed)


def year_bars(points: list[YearPoint], title: str, width: int = 260, height: int = 120) -> SafeString:
    """Bars for the municipality per year (the last one darker), with the region's value as a grey tick over
    each bar where it is given."""
    values = [v for p in points for v in (p.own, p.region) if v is not None]
    top = max([Decimal(v) for v in values if v > 0], default=Decimal(1))
    base_y, plot_h = height - 18, height - 36
    slot = (width - 8) / max(len(points), 1)
    bar_w = min(slot * 0.55, 46)
    parts = [f'<line x1="4" y1="{base_y}" x2="{width - 4}" y2="{base_y}" stroke="{MUTED}" stroke-width="1"/>']
    for index, point in enumerate(points):
        x = 4 + slot * index + (slot - bar_w) / 2
        centre = x + bar_w / 2
        colour = OWN if index == len(points) - 1 else "#7fa7d1"
        if point.own is not None and point.own > 0:
            h = float(Decimal(point.own) / top) * plot_h
            parts.append(f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"/>')
            label_y = base_y - h - 4
        else:
            label_y = base_y - 4
        if point.region is not None and point.region > 0:
            ry = base_y - float(Decimal(point.region) / top) * plot_h
            parts.append(f'<line x1="{x - 4:.1f}" y1="{ry:.1f}" x2="{x + bar_w + 4:.1f}" y2="{ry:.1f}" '
                         f'stroke="{REGION}" stroke-width="3"/>')
            label_y = min(label_y, ry - 4)
        parts.append(f'<text x="{centre:.1f}" y="{label_y:.1f}" font-size="10" text-anchor="middle" '
                     f'fill="#1b2a3a">{escape(point.own_label)}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{height - 4}" font-size="10" text-anchor="middle" '
                     f'fill="{MUTED}">{point.year}</text>')
    return mark_safe(  # noqa: S308 - every text in it is escaped above
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif"><title>{escape(title)}</title>{"".join(parts)}</svg>')


@dataclass(frozen=True)
class MixRow:
    label: str  # e.g. "Dordrecht 2024"
    shares: tuple[tuple[str, Decimal], ...]  # (category, percent), in legend order


def mix_bars(rows: list[MixRow], categories: list[str], title: str, width: int = 520) -> SafeString:
    """One 100 % bar per row, split by category, with a legend underneath."""
    label_w, bar_x = 120, 124
    bar_w = width - bar_x - 4
    colours = {name: MIX_COLOURS[i % len(MIX_COLOURS)] for i, name in enumerate(categories)}
    parts = []
    y = 4
    for row in rows:
        parts.append(f'<text x="{label_w}" y="{y + 13}" font-size="11" text-anchor="end" fill="#1b2a3a">'
                     f'{escape(row.label)}</text>')
        x = float(bar_x)
        for name, share in row.shares:
            w = float(share) / 100 * bar_w
            if w <= 0:
                continue
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{colours[name]}">'
                         f'<title>{escape(name)}: {escape(str(share).replace(".", ","))} %</title></rect>')
            if w >= 30:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 13}" font-size="10" text-anchor="middle" '
                             f'fill="#fff">{round(share)}%</text>')
            x += w
        y += 24
    legend_x, legend_y = float(bar_x), y + 8
    for name in categories:
        text_w = 7 * len(name) + 24
        if legend_x + text_w > width:
            legend_x, legend_y = float(bar_x), legend_y + 16
        parts.append(f'<rect x="{legend_x:.1f}" y="{legend_y - 9}" width="10" height="10" fill="{colours[name]}"/>'
                     f'<text x="{legend_x + 14:.1f}" y="{legend_y}" font-size="10" fill="{MUTED}">'
                     f'{escape(name)}</text>')
        legend_x += text_w
    height = legend_y + 8
    return mark_safe(  # noqa: S308 - every text in it is escaped above
        f'<svg class="chart mix" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif"><title>{escape(title)}</title>{"".join(parts)}</svg>')
