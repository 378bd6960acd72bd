"""Material controls on stored declarations: the database side of `declarations.material`."""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.db.models import Sum

from regiekamer.declarations.material import (
    MixRow,
    SampleLine,
    UpcodingSignal,
    UsageRow,
    VolumeOutlier,
    sample,
    upcoding_signals,
    volume_outliers,
)
from regiekamer.declarations.models import DeclarationLine, signed_amount


def sample_for_provider(agb_code: str, year: int, size: int, seed: str) -> list[SampleLine]:
    lines = (DeclarationLine.objects.accepted().in_year(year).filter(provider__agb_code=agb_code, debit_credit="D")
             .values_list("reference", "client__pseudonym", "product_code", "period_start", "volume", "amount_cents"))
    rows = [SampleLine(ref, client or "", code, start.isoformat(), volume, cents)
            for ref, client, code, start, volume, cents in lines]
    return sample(rows, size, f"{seed}:{agb_code}:{year}")


def outliers(year: int) -> list[VolumeOutlier]:
    usage = (DeclarationLine.objects.accepted().in_year(year).exclude(client=None)
             .values("client__pseudonym", "provider__agb_code", "product_code")
             .annotate(volume=Sum("volume")))
    return volume_outliers([UsageRow(u["client__pseudonym"], u["provider__agb_code"], u["product_code"], u["volume"])
                            for u in usage])


def upcoding(year: int) -> list[UpcodingSignal]:
    """Compare `year` with the year before: products above their segment's median tariff count as expensive."""
    lines = DeclarationLine.objects.accepted().filter(period_start__year__in=[year - 1, year]).exclude(product=None)
    tariffs: dict[str, dict[str, int]] = defaultdict(dict)
    for segment, code, tariff in lines.values_list("product__segment__code", "product_code", "tariff_cents").distinct():
        tariffs[segment][code] = max(tariff or 0, tariffs[segment].get(code, 0))
    expensive = {(segment, code) for segment, codes in tariffs.items()
                 for code, tariff in codes.items() if len(codes) > 1 and tariff > statistics.median(codes.values())}
    mix: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in (lines.values("provider__agb_code", "product__segment__code", "product_code", "period_start__year")
                .annotate(cents=Sum(signed_amount()))):
        key = (row["provider__agb_code"], row["product__segment__code"], row["period_start__year"])
        mix[key][1] += row["cents"]
        if (row["product__segment__code"], row["product_code"]) in expensive:
            mix[key][0] += row["cents"]
    return upcoding_signals([MixRow(p, s, y, e, t) for (p, s, y), (e, t) in mix.items()])
