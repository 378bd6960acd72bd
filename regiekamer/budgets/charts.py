"""Charts drawn on the server as inline SVG: no scripts, no network, they render wherever the page does."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from regiekamer.core.money import format_euros

WIDTH, HEIGHT = 200, 22


def _x(cents: int, scale: int) -> float:
    return round(min(cents, scale) / scale * (WIDTH - 4) + 2, 1) if scale else 2.0


def budget_bullet(budget: int | None, realised: int, point: int, low: int, high: int) -> SafeString:
    """Realised as a bar, the forecast interval as a line with the point on it, the budget as a red mark."""
    scale = max(budget or 0, high, realised, 1) * 21 // 20  # 5 % room on the right
    budget_x = _x(budget, scale) if budget else None
    title = (f"gerealiseerd {format_euros(realised)}; prognose {format_euros(point)} "
             f"({format_euros(low)} – {format_euros(high)})" + (f"; budget {format_euros(budget)}" if budget else ""))
    budget_mark = (format_html('<line x1="{}" y1="1" x2="{}" y2="{}" stroke="#c0392b" stroke-width="2"/>',
                               budget_x, budget_x, HEIGHT - 1) if budget_x is not None else "")
    return format_html(
        '<svg class="bullet" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}">'
        '<title>{t}</title>'
        '<rect x="2" y="6" width="{rw}" height="10" fill="#2e6da4"/>'
        '<line x1="{lx}" y1="11" x2="{hx}" y2="11" stroke="#555" stroke-width="1.5"/>'
        '<line x1="{lx}" y1="7" x2="{lx}" y2="15" stroke="#555"/><line x1="{hx}" y1="7" x2="{hx}" y2="15" stroke="#555"/>'
        '<circle cx="{px}" cy="11" r="3.5" fill="#fff" stroke="#222" stroke-width="1.5"/>{b}</svg>',
        w=WIDTH, h=HEIGHT, t=title, rw=max(0.0, _x(realised, scale) - 2), lx=_x(low, scale), hx=_x(high, scale),
        px=_x(point, scale), b=budget_mark)


def spread_strip(lowest, first_quartile, median, third_quartile, highest, own=None) -> SafeString:
    """The peers' spread as a box from the first to the third quartile with whiskers to the extremes and the
    median as a tick; the own value as a dot. Values are numbers of one unit (cents, days, percent)."""
    values = [v for v in (lowest, highest, own) if v is not None]
    low, high = min(values), max(values)
    span = (high - low) or 1

    def x(value) -> float:
        return round(float((value - low) / span) * (WIDTH - 8) + 4, 1)

    own_mark = (format_html('<circle cx="{}" cy="11" r="4.5" fill="#c0392b" stroke="#fff" stroke-width="1"/>', x(own))
                if own is not None else "")
    return format_html(
        '<svg class="bullet" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{t}">'
        '<title>{t}</title>'
        '<line x1="{lo}" y1="11" x2="{hi}" y2="11" stroke="#888" stroke-width="1.5"/>'
        '<rect x="{q1}" y="5" width="{bw}" height="12" fill="#d6e4f0" stroke="#2e6da4"/>'
        '<line x1="{md}" y1="5" x2="{md}" y2="17" stroke="#2e6da4" stroke-width="2"/>{own}</svg>',
        w=WIDTH, h=HEIGHT, t="spreiding van de andere aanbieders; rode stip: u", lo=x(lowest), hi=x(highest),
        q1=x(first_quartile), bw=max(1.0, x(third_quartile) - x(first_quartile)), md=x(median), own=own_mark)
