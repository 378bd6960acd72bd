"""Burgerservicenummer (BSN): validation with the 11-proef, and a generator for synthetic data."""

from __future__ import annotations

import random


class InvalidBsn(ValueError):
    """The value is not a valid BSN (nine digits passing the 11-proef)."""


def is_valid_bsn(value: str) -> bool:
    """True when value is nine digits that pass the 11-proef (weights 9..2 and -1)."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(digit) * weight for digit, weight in zip(value, weights)) % 11 == 0


def require_valid_bsn(value: str) -> str:
    if not is_valid_bsn(value):
        raise InvalidBsn("BSN voldoet niet aan de 11-proef")
    return value


def synthetic_bsn(rng: random.Random) -> str:
    """A random BSN that passes the 11-proef, for generated demo and test data."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        if digits[0] == 0 and digits[1] == 0:
            continue
        partial = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2)))
        last = partial % 11
        if last <= 9:
            candidate = "".join(map(str, digits)) + str(last)
            if is_valid_bsn(candidate):
                return candidate
