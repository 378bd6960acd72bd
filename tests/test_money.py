from hypothesis import given
from hypothesis import strategies as st

from regiekamer.core.money import divide_cents, format_euros


def test_format_euros_dutch():
    assert format_euros(123456) == "€ 1.234,56"
    assert format_euros(-5) == "-€ 0,05"
    assert format_euros(0) == "€ 0,00"


@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_average_is_within_half_a_cent(total, count):
    average = divide_cents(total, count)
    assert 2 * abs(average * count - total) <= count
