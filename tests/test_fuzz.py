"""Mutated messages never crash the ingest and never leave part of a message behind."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regiekamer.care.models import Assignment, CareEpisode, Client, Referral
from regiekamer.declarations.models import Declaration, DeclarationLine
from regiekamer.ijw.constants import DebitCredit, Unit
from regiekamer.ijw.model import Performance
from regiekamer.ijw.write import write
from regiekamer.messaging.ingest import ingest_paths
from regiekamer.messaging.models import ReceivedMessage
from tests.test_ingest import BSN, PRODUCT, assignment, declaration

pytestmark = pytest.mark.django_db

MODELS = (ReceivedMessage, Declaration, DeclarationLine, Assignment, CareEpisode, Client, Referral)


def snapshot() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
    st.tuples(st.just("cut"), st.integers(min_value=0), st.integers(min_value=0)),
    st.tuples(st.just("insert"), st.integers(min_value=0), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("text"), st.integers(min_value=0),
              st.sampled_from([b"", b"-1", b"99999999999999", b"2024-02-30", b"&amp;", b"<x/>", b"\xc3\x28", b"D"])),
)


def mutate(data: bytes, steps) -> bytes:
    for kind, position, value in steps:
        at = position % max(1, len(data))
        if kind == "flip":
            data = data[:at] + bytes([value]) + data[at + 1:]
        elif kind == "cut":
            data = data[:at] + data[at + value % 64:]
        elif kind == "insert":
            data = data[:at] + value + data[at:]
        else:  # replace the text of an element
            start = data.find(b">", at)
            end = data.find(b"<", start + 1)
            if start != -1 and end != -1:
                data = data[:start + 1] + value + data[end:]
    return data


@pytest.fixture
def base(demo_region):
    from regiekamer.contracts.models import Tariff
    from regiekamer.providers.models import Provider

    agb = Provider.objects.filter(contracts__lots__code="4b").order_by("agb_code").first().agb_code
    tariff = Tariff.objects.get(product__code="45A48", valid_from=date(2024, 1, 1)).amount_cents
    lines = [Performance(BSN, f"F{i}", None, 990001, PRODUCT, date(2024, 1, 1), date(2024, 1, 31), 2 + i, Unit.UUR,
                         tariff, (2 + i) * tariff, DebitCredit.DEBET) for i in range(3)]
    return [write(assignment(agb)), write(declaration(agb, "FUZZ1", lines))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0, max_value=1), steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_messages_are_all_or_nothing(base, tmp_path, which, steps):
    data = mutate(base[which], steps)
    path = tmp_path / "mutant.xml"
    path.write_bytes(data)
    before = snapshot()
    report = ingest_paths([path])  # must not raise
    after = snapshot()
    if report.processed:
        stored = ReceivedMessage.objects.get(sha256=hashlib.sha256(data).hexdigest())
        if stored.kind == "JW323":
            declared = stored.declaration
            assert declared.lines.count() >= 1
            assert after[2] - before[2] == declared.lines.count()
        assert after[0] == before[0] + 1
    else:
        assert after == before, (report.errors, steps)
        assert report.errors or report.already_ingested
