"""The demo build as one service, used by `regiekamer demo` and by the tests."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from regiekamer.generator.output import GENERATOR_VERSION, GenerationSummary, generate
from regiekamer.messaging.ingest import AnswerTarget, IngestReport, ingest_paths
from regiekamer.regions.register import load_register
from regiekamer.strategy.load import load_strategy
from regiekamer.strategy.regiondef import strategy_path

Step = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    password: str


@dataclass
class DemoResult:
    source_dir: Path
    generation: GenerationSummary | None
    ingest: IngestReport
    users: list[DemoUser]


class DemoError(RuntimeError):
    """The demo cannot be built as asked; nothing was changed."""


def source_dir_for(var_dir: Path, region: str, seed: int, scale: float) -> Path:
    return var_dir / "demo" / f"{region}-seed{seed}-scale{scale:g}-v{GENERATOR_VERSION}"


def build_demo(var_dir: Path, region: str = "zuid-holland-zuid", seed: int = 1, scale: float = 1.0,
               progress: Step | None = None) -> DemoResult:
    """Generate the source records (once per region/seed/scale), load and ingest them, and create demo users."""
    source = source_dir_for(var_dir, region, seed, scale)
    marker = var_dir / "demo" / "database-built-from"
    if marker.exists() and marker.read_text().strip() != source.name:
        raise DemoError(f"de database bevat al de demo {marker.read_text().strip()}; een andere demo ({source.name}) "
                        "zou ermee vermengd raken. Begin opnieuw met `make clean` (verwijdert var/) of kies "
                        "dezelfde regio, seed en schaal.")
    summary = None
    if not (source / "region.json").exists():
        if source.exists():
            shutil.rmtree(source)  # an interrupted earlier generation
        summary = generate(source, region_code=region, seed=seed, scale=scale,
                           progress=(lambda label, done, total: progress("Genereren", done, total)) if progress else None)
    load_strategy(strategy_path(region))  # the region's segments and their instruments, shown on /strategie/
    load_register(source / "region.json")
    marker.write_text(source.name)
    report = ingest_paths([source / "berichten"],
                          progress=(lambda done, total: progress("Inlezen", done, total)) if progress else None,
                          answers=AnswerTarget(source / "antwoorden"))
    users = create_demo_users()
    return DemoResult(source, summary, report, users)


def create_demo_users() -> list[DemoUser]:
    """One demo account per role, with a fresh random password per build: the region, Dordrecht's staff and
    access team, the largest provider, an auditor and the administrator."""
    from django.db.models import Count

    from regiekamer.access.models import Membership, Role
    from regiekamer.providers.models import Provider
    from regiekamer.regions.models import Municipality, Region

    region = Region.objects.order_by("id").first()
    municipality = Municipality.objects.filter(region=region).order_by("-populations__age_0_17").first()
    provider = Provider.objects.annotate(n=Count("declaration_lines")).order_by("-n", "agb_code").first()
    accounts = [
        ("beheerder", Role.BEHEERDER, None, None),
        ("regio", Role.REGIO, None, None),
        (f"gemeente-{municipality.cbs_code}" if municipality else "gemeente", Role.GEMEENTE, municipality, None),
        (f"toegang-{municipality.cbs_code}" if municipality else "toegang", Role.TOEGANG, municipality, None),
        (f"aanbieder-{provider.agb_code}" if provider else "aanbieder", Role.AANBIEDER, None, provider),
        ("auditor", Role.AUDITOR, None, None),
    ]
    User = get_user_model()
    users = []
    for username, role, own_municipality, own_provider in accounts:
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = role is Role.BEHEERDER
        user.set_password(password)
        user.save()
        membership, _ = Membership.objects.update_or_create(user=user, defaults={
            "role": role, "region": region, "provider": own_provider})
        membership.municipalities.set([own_municipality] if own_municipality else [])
        users.append(DemoUser(username, Role(role).label, password))
    return users
