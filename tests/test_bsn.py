import random

from hypothesis import given
from hypothesis import strategies as st

from regiekamer.core.bsn import is_valid_bsn, synthetic_bsn
from regiekamer.core.protect import protector_for


def test_known_valid_and_invalid_bsns():
    assert is_valid_bsn("111222333")
    assert is_valid_bsn("123456782")
    assert not is_valid_bsn("123456789")  # fails the 11-proef
    assert not is_valid_bsn("12345678")  # too short
    assert not is_valid_bsn("12345678a")
    assert not is_valid_bsn("000000000")


@given(st.integers(min_value=0, max_value=2**32))
def test_synthetic_bsns_pass_the_11_proef(seed):
    assert is_valid_bsn(synthetic_bsn(random.Random(seed)))


def test_protection_is_keyed_and_reversible_only_by_decryption():
    one, other = protector_for("key-one"), protector_for("key-two")
    bsn = "123456782"
    assert one.lookup_hash(bsn) != other.lookup_hash(bsn)
    assert bsn not in one.lookup_hash(bsn) and bsn not in one.pseudonym(bsn)
    token = one.encrypt(bsn)
    assert bsn not in token
    assert one.decrypt(token) == bsn
    assert one.pseudonym(bsn) == one.pseudonym(bsn) != one.pseudonym("111222333")
