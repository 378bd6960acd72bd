"""Retour messages (306, 308, 316) for the provider's start, stop and request messages (IV028, IV087)."""

from __future__ import annotations

import re
from datetime import date

from regiekamer.ijw.constants import (
    MESSAGE_KINDS,
    RETOUR_NO_REMARKS,
    RETOUR_NOT_ASSESSED,
    RETOUR_TECHNICAL_ERROR,
    answer_identification,
)
from regiekamer.ijw.model import ChangeRequestMessage, RequestMessage, RetourMessage, StartMessage, StopMessage
from regiekamer.messaging.errors import MessageRejected

RETOURCODE = {
    "TR019": "9019", "TR063": "9063", "TR071": "9071", "TR326": "9326", "TR382": "9069", "TR304": "8187",
    "TR347": "9347", "TR379": "9379", "TR332": "9332", "TR056": "9056", "TR349": "9349", "TR350": "9350",
    "TR351": "9351", "TR374": "9374",
}
Original = StartMessage | StopMessage | RequestMessage | ChangeRequestMessage


def _retour_kind(original: Original):
    kind = original.header.kind
    return MESSAGE_KINDS[kind.name.replace(str(kind.number), str(kind.number + 1))]


def _identification(original: Original, digest: str) -> str:
    return answer_identification("R", original.header.sender, digest)


def retour_accepted(original: Original, digest: str, sent_on: date) -> RetourMessage:
    """Everything accepted: the header only, without codes."""
    return RetourMessage(_retour_kind(original), original, _identification(original, digest), sent_on)


def retour_refused(original: Original, digest: str, rejected: MessageRejected, sent_on: date) -> RetourMessage:
    """Refused as a whole: the code goes on the class that broke the rule; earlier classes get 0200 and
    later ones 0233; a header error returns the header only."""
    code = RETOURCODE.get(rejected.rule, RETOUR_TECHNICAL_ERROR)
    kind, ident = _retour_kind(original), _identification(original, digest)
    if rejected.record.startswith("Header") or code == RETOUR_TECHNICAL_ERROR:
        return RetourMessage(kind, original, ident, sent_on, header_codes=(code,))
    classes = _classes(original)
    match = re.search(r"^(\w+)\[(\d+)\]", rejected.record)
    if match is None:  # the client, or for a 317 the request as a whole
        items = tuple((RETOUR_NOT_ASSESSED,) for _ in classes)
        if isinstance(original, ChangeRequestMessage) and rejected.record == "Verzoek":
            return RetourMessage(kind, original, ident, sent_on, client_codes=(RETOUR_NO_REMARKS,), item_codes=items,
                                 request_codes=(code,))
        return RetourMessage(kind, original, ident, sent_on, client_codes=(code,), item_codes=items,
                             request_codes=(RETOUR_NOT_ASSESSED,) if isinstance(original, ChangeRequestMessage) else ())
    failed = classes.index((match.group(1), int(match.group(2))))
    items = tuple((RETOUR_NO_REMARKS,) if i < failed else (code,) if i == failed else (RETOUR_NOT_ASSESSED,)
                  for i in range(len(classes)))
    return RetourMessage(kind, original, ident, sent_on, client_codes=(RETOUR_NO_REMARKS,), item_codes=items,
                         request_codes=(RETOUR_NO_REMARKS,) if isinstance(original, ChangeRequestMessage) else ())


def _classes(original: Original) -> list[tuple[str, int]]:
    """The product classes of the original in message order, as (element name, 1-based index)."""
    if isinstance(original, ChangeRequestMessage):
        return ([("OngewijzigdProduct", i) for i in range(1, len(original.unchanged) + 1)]
                + [("TeWijzigenProduct", i) for i in range(1, len(original.changed) + 1)]
                + [("NieuwProduct", i) for i in range(1, len(original.new) + 1)])
    name = {StartMessage: "StartProduct", StopMessage: "StopProduct", RequestMessage: "AangevraagdProduct"}
    return [(name[type(original)], i) for i in range(1, len(original.products) + 1)]
