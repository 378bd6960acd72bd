from django import template

from regiekamer.core.money import format_euros, group_thousands

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """Cents as Dutch euros without decimals for overview tables: 123456 -> '€ 1.235'."""
    if cents is None:
        return "–"
    rounded = (abs(cents) + 50) // 100
    sign = "-" if cents < 0 else ""
    return f"{sign}€ {group_thousands(rounded)}"


@register.filter
def euros_exact(cents: int | None) -> str:
    return "–" if cents is None else format_euros(cents)


@register.filter
def number(value: int | None) -> str:
    return "–" if value is None else group_thousands(value)


@register.filter
def get_item(mapping: dict, key: str):
    """mapping[key] in a template: {{ labels|get_item:code }}."""
    return mapping.get(key, "")
