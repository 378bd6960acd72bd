"""Municipality side of the care flow: requests (315), assignments (301), start (305) and stop (307)."""

from __future__ import annotations

from dataclasses import replace

from regiekamer.care.constants import ReferrerType
from regiekamer.care.models import Assignment, CareEpisode, ChangeRequest, Client, Referral
from regiekamer.ijw.constants import SubmissionStatus
from regiekamer.ijw.model import AssignmentMessage, ChangeRequestMessage, RequestMessage, StartMessage, StopMessage
from regiekamer.messaging.context import AssignmentRef, EpisodeRef, IngestContext, ReferralRef
from regiekamer.messaging.errors import MessageRejected
from regiekamer.messaging.models import ReceivedMessage
from regiekamer.messaging.results import Handled


def handle_request(message: RequestMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    provider = ctx.provider(message.header.sender, "Header/Afzender")
    municipality = ctx.municipality(message.header.receiver, "Header/Ontvanger")
    client_id = ctx.client_for(message.client, municipality, "Client")
    for index, item in enumerate(message.products, start=1):
        record = f"AangevraagdProduct[{index}]"
        product = ctx.product(municipality, item.product.code, record)
        if ctx.referrals.get((provider.id, item.reference)) is not None:
            raise MessageRejected(record, "TR347", f"ReferentieAanbieder {item.reference} is al eerder gebruikt")
        referral = ctx.stage.add(
            Referral, client_id=client_id, municipality_id=municipality.id, provider_id=provider.id,
            provider_reference=item.reference, product_id=product.id, referrer_type=item.referrer.type.value,
            referrer_agb=item.referrer.agb_code or "", requested_on=message.header.sent_on,
            requested_start=item.start, message_id=stored.pk)
        ctx.referrals.put(ctx.stage, (provider.id, item.reference),
                          ReferralRef(referral.pk, client_id, referral.referrer_type))
        _open_request(ctx, client_id, provider.id, item.reference, True)
    return Handled(len(message.products))


def handle_assignment(message: AssignmentMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    municipality = ctx.municipality(message.header.sender, "Header/Afzender")
    provider = ctx.provider(message.header.receiver, "Header/Ontvanger")
    client_id = ctx.client_for(message.client, municipality, "Client")
    for index, item in enumerate(message.products, start=1):
        record = f"ToegewezenProduct[{index}]"
        product = ctx.product(municipality, item.product.code, record)
        referral = None
        if item.provider_reference:
            referral = ctx.referrals.get((provider.id, item.provider_reference))
            change_request = ctx.change_requests.get((provider.id, item.provider_reference))
            if referral is None and change_request is None:
                raise MessageRejected(record, "TR379", f"ReferentieAanbieder {item.provider_reference} hoort bij "
                                                       "geen verzoek om toewijzing of wijziging")
            if change_request is not None:  # the 301 honours the provider's request for change
                ctx.stage.update(ChangeRequest, change_request, status=ChangeRequest.Status.HONOURED)
            _open_request(ctx, client_id, provider.id, item.provider_reference, False)
        values = dict(
            client_id=client_id, provider_id=provider.id, product_id=product.id, assigned_on=item.assigned_on,
            start=item.start, end=item.end,
            volume=item.volume.volume if item.volume else None,
            unit=item.volume.unit.value if item.volume else product.unit,
            frequency=item.volume.frequency.value if item.volume else "",
            budget_cents=item.budget_cents, change_reason=item.change_reason or "", message_id=stored.pk,
        )
        existing = ctx.assignments.get((municipality.id, item.number))
        if existing is None:
            assignment_id = ctx.stage.add(
                Assignment, municipality_id=municipality.id, number=item.number,
                referral_id=referral.id if referral else None,
                referrer_type=referral.referrer_type if referral else ReferrerType.GEMEENTE, **values).pk
        elif existing.client_id != client_id or existing.provider_id != provider.id:
            raise MessageRejected(record, "TR332",
                                  f"toewijzingnummer {item.number} is al gebruikt voor een andere cliënt of aanbieder")
        else:
            ctx.stage.update(Assignment, existing.id, **values)
            assignment_id = existing.id
        ctx.assignments.put(ctx.stage, (municipality.id, item.number), AssignmentRef(
            assignment_id, client_id, provider.id, product.id, values["unit"], item.start, item.end,
            values["volume"], values["frequency"]))
        pair = (client_id, provider.id)
        others = ctx.client_assignments.get(pair, stored=not ctx.stage.is_new(Client, client_id)) or ()
        ctx.client_assignments.put(ctx.stage, pair, tuple(a for a in others if a[0] != item.number)
                                   + ((item.number, item.start, item.end),))
    return Handled(len(message.products))


def _open_request(ctx: IngestContext, client_id: int, provider_id: int, reference: str, is_open: bool) -> None:
    """Keep the client's open requests at this provider current (TR374)."""
    pair = (client_id, provider_id)
    references = ctx.open_requests.get(pair, stored=not ctx.stage.is_new(Client, client_id)) or frozenset()
    ctx.open_requests.put(ctx.stage, pair, references | {reference} if is_open else references - {reference})


def _episode_key(ctx: IngestContext, message: StartMessage | StopMessage, item, record: str):
    """The start's logical key: the assignment, or (task-based) product and start date at this provider."""
    provider = ctx.provider(message.header.sender, "Header/Afzender")
    municipality = ctx.municipality(message.header.receiver, "Header/Ontvanger")
    if item.assignment_number is not None:
        assignment = ctx.assignments.get((municipality.id, item.assignment_number))
        if assignment is None or assignment.provider_id != provider.id:
            raise MessageRejected(record, "TR019",
                                  f"toewijzingnummer {item.assignment_number} is geen toewijzing aan deze aanbieder")
        product = ctx.products_by_id[assignment.product_id]
        if item.product and item.product.code and item.product.code != product.code:
            raise MessageRejected(record, "IV075", "product wijkt af van het toegewezen product")
        return provider, municipality, assignment.id, assignment.client_id, product
    product = ctx.product(municipality, item.product.code if item.product else None, record)
    return provider, municipality, None, None, product


def _same_product(episode: EpisodeRef, provider_id: int, product_id: int, assignment_id: int | None) -> bool:
    return (episode.provider_id, episode.product_id, episode.assignment_id) == (provider_id, product_id, assignment_id)


def handle_start(message: StartMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    for index, item in enumerate(message.products, start=1):
        record = f"StartProduct[{index}]"
        provider, municipality, assignment, assigned_client, product = _episode_key(ctx, message, item, record)
        client_id = ctx.client_for(message.client, municipality, "Client")
        if assigned_client is not None and assigned_client != client_id:
            raise MessageRejected(record, "TR304", "BSN hoort niet bij de cliënt van de toewijzing")
        episodes = ctx.episodes.get(client_id) or ()
        same = [e for e in episodes if _same_product(e, provider.id, product.id, assignment)]
        if item.status is SubmissionStatus.VERWIJDEREN:
            episode = next((e for e in same if e.start == item.start), None)
            if episode is None:
                raise MessageRejected(record, "TR063", "er is geen start met deze sleutel om te verwijderen")
            if episode.end is not None:
                raise MessageRejected(record, "TR071", "een start met een stop kan niet worden verwijderd")
            ctx.stage.delete(CareEpisode, episode.id)
            ctx.episodes.put(ctx.stage, client_id, tuple(e for e in episodes if e is not episode))
            continue
        if any(e.end is None for e in same):
            raise MessageRejected(record, "TR326", "er loopt al een start voor dit toegewezen product")
        created = ctx.stage.add(CareEpisode, client_id=client_id, municipality_id=municipality.id,
                                provider_id=provider.id, product_id=product.id, assignment_id=assignment,
                                start=item.start, start_message_id=stored.pk)
        ctx.episodes.put(ctx.stage, client_id, (*episodes, EpisodeRef(created.pk, provider.id, product.id, assignment,
                                                                       item.start, None, "")))
    return Handled(len(message.products))


def handle_stop(message: StopMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    for index, item in enumerate(message.products, start=1):
        record = f"StopProduct[{index}]"
        provider, municipality, assignment, _, product = _episode_key(ctx, message, item, record)
        client_id = ctx.client_for(message.client, municipality, "Client")
        if item.end < item.start:
            raise MessageRejected(record, "TR018", "einddatum ligt voor de begindatum")
        episodes = ctx.episodes.get(client_id) or ()
        same_start = [e for e in episodes if _same_product(e, provider.id, product.id, assignment)
                      and e.start == item.start]
        if not same_start:
            raise MessageRejected(record, "TR382", "de stop verwijst niet naar een ontvangen start")
        if item.status is SubmissionStatus.VERWIJDEREN:
            stopped = [e for e in same_start if e.end is not None]
            if not stopped:
                raise MessageRejected(record, "TR063", "er is geen stop met deze sleutel om te verwijderen")
            changes = dict(end=None, stop_reason="", stop_message_id=None)
        else:
            stopped = [e for e in same_start if e.end is None or e.stop_reason == "20"]
            if not stopped:
                raise MessageRejected(record, "TR415", "er is al een definitieve stop voor deze start")
            changes = dict(end=item.end, stop_reason=str(item.reason), stop_message_id=stored.pk)
        for episode in stopped:
            ctx.stage.update(CareEpisode, episode.id, **changes)
        ctx.episodes.put(ctx.stage, client_id, tuple(
            replace(e, end=changes["end"], stop_reason=changes["stop_reason"]) if e in stopped else e
            for e in episodes))
    return Handled(len(message.products))


def handle_change_request(message: ChangeRequestMessage, stored: ReceivedMessage, ctx: IngestContext) -> Handled:
    """Store a 317 after checking it names exactly the client's current assignments at this provider."""
    provider = ctx.provider(message.header.sender, "Header/Afzender")
    municipality = ctx.municipality(message.header.receiver, "Header/Ontvanger")
    client_id = ctx.client_id(message.bsn, "Client")
    if client_id is None:
        raise MessageRejected("Client", "TR304", "BSN hoort bij geen cliënt met een toewijzing")
    record = "Verzoek"
    reference = (provider.id, message.reference)
    if ctx.change_requests.get(reference) is not None or ctx.referrals.get(reference) is not None:
        raise MessageRejected(record, "TR347", f"ReferentieAanbieder {message.reference} is al eerder gebruikt")
    pair = (client_id, provider.id)
    if ctx.open_requests.get(pair, stored=not ctx.stage.is_new(Client, client_id)):
        raise MessageRejected(record, "TR374", "er staat al een verzoek van deze aanbieder voor deze cliënt open")
    day = message.header.sent_on
    current = {number for number, _, end in ctx.client_assignments.get(pair) or () if end is None or end >= day}
    for index, number in enumerate(message.unchanged, start=1):
        if number not in current:
            raise MessageRejected(f"OngewijzigdProduct[{index}]", "TR350",
                                  f"toewijzing {number} is geen actuele toewijzing van deze cliënt")
    for index, item in enumerate(message.changed, start=1):
        if item.assignment_number not in current:
            raise MessageRejected(f"TeWijzigenProduct[{index}]", "TR351",
                                  f"toewijzing {item.assignment_number} is geen actuele toewijzing van deze cliënt")
    missing = current - set(message.unchanged) - {item.assignment_number for item in message.changed}
    if missing:
        raise MessageRejected(record, "TR349", f"actuele toewijzingen ontbreken in het verzoek: {sorted(missing)}")
    for index, item in enumerate(message.new, start=1):
        if item.product and item.product.code:
            ctx.product(municipality, item.product.code, f"NieuwProduct[{index}]")
    change_request = ctx.stage.add(
        ChangeRequest, client_id=client_id, municipality_id=municipality.id, provider_id=provider.id,
        provider_reference=message.reference, reason=message.reason, requested_on=message.header.sent_on,
        message_id=stored.pk, desired=desired_situation(message))
    ctx.change_requests.put(ctx.stage, reference, change_request.pk)
    ctx.open_requests.put(ctx.stage, pair, (ctx.open_requests.get(pair) or frozenset()) | {message.reference})
    return Handled(len(message.unchanged) + len(message.changed) + len(message.new))


def _volume(volume) -> dict:
    return ({"volume": volume.volume, "eenheid": volume.unit.value, "frequentie": volume.frequency.value} if volume
            else {"volume": None, "eenheid": None, "frequentie": None})


def desired_situation(message: ChangeRequestMessage) -> dict:
    """The 317's complete desired situation as stored with the request (read back by `care.decisions`)."""
    return {
        "ongewijzigd": message.unchanged,
        "te_wijzigen": [{"toewijzing": c.assignment_number, "ingang": c.desired_start.isoformat(),
                         "einde": c.end.isoformat() if c.end else None, "budget": c.budget_cents, **_volume(c.volume)}
                        for c in message.changed],
        "nieuw": [{"product": n.product.code if n.product else None, "ingang": n.desired_start.isoformat(),
                   "einde": n.end.isoformat() if n.end else None, "budget": n.budget_cents, **_volume(n.volume)}
                  for n in message.new],
    }
