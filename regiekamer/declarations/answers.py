"""Building the 325 answer to a declaration (iJw 3.2, IV087/TR342): only rejected lines are listed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from regiekamer.declarations.constants import LineStatus
from regiekamer.declarations.models import DeclarationLine
from regiekamer.declarations.rules import LINE_RULES
from regiekamer.ijw.constants import (
    MESSAGE_KINDS,
    RETOUR_FULLY_GRANTED,
    RETOUR_NO_REMARKS,
    RETOUR_TECHNICAL_ERROR,
    DebitCredit,
    answer_identification,
)
from regiekamer.ijw.model import (
    AnsweredPerformance,
    DeclarationAnswer,
    DeclarationAnswerMessage,
    DeclarationMessage,
    Header,
)

RETOURCODE = {rule.code: rule.retourcode for rule in LINE_RULES}
# Message-level refusals that are answered on the Declaratie class; others are answered in the header.
DECLARATION_CLASS_CODES = {"TR333": "9333"}
HEADER_CODES = {"TR056": "9056"}


def _answer_header(message: DeclarationMessage, digest: str, sent_on: date) -> Header:
    """The answer's identification derives from the declaration's bytes: one answer per distinct message."""
    kind = MESSAGE_KINDS[message.header.kind.name.replace("323", "325")]  # JW325 or WMO325
    return Header(kind=kind, sender=message.header.receiver, receiver=message.header.sender,
                  identification=answer_identification("A", message.header.sender, digest), sent_on=sent_on)


def answer_processed(message: DeclarationMessage, digest: str, lines: Iterable[DeclarationLine],
                     sent_on: date) -> DeclarationAnswerMessage:
    """The answer to a processed declaration: granted total, and every rejected line with its codes."""
    by_reference = {p.reference: p for p in message.performances}
    rejected = defaultdict(list)
    granted = 0
    for line in lines:
        if line.status == LineStatus.ACCEPTED:
            granted += line.amount_cents if line.debit_credit == DebitCredit.DEBET else -line.amount_cents
            continue
        performance = by_reference[line.reference]
        retourcodes = tuple(dict.fromkeys(RETOURCODE[code] for code in line.rule_codes.split()))
        rejected[performance.bsn].append(AnsweredPerformance(performance, retourcodes))
    clients = tuple((bsn, (RETOUR_NO_REMARKS,), tuple(lines)) for bsn, lines in rejected.items())
    answer = DeclarationAnswer(
        number=message.number, submitted_cents=message.total_cents,
        submitted_debit_credit=message.total_debit_credit, granted_cents=abs(granted),
        granted_debit_credit=DebitCredit.DEBET if granted >= 0 else DebitCredit.CREDIT,
        codes=(RETOUR_NO_REMARKS,) if clients else (RETOUR_FULLY_GRANTED,), clients=clients,
    )
    return DeclarationAnswerMessage(_answer_header(message, digest, sent_on), message.header.identification,
                                    message.header.sent_on, (RETOUR_NO_REMARKS,), answer)


def answer_refused(message: DeclarationMessage, digest: str, rule: str, sent_on: date) -> DeclarationAnswerMessage:
    """The answer to a declaration refused as a whole: on the Declaratie class, or header only."""
    code = DECLARATION_CLASS_CODES.get(rule)
    if code is None:
        return DeclarationAnswerMessage(_answer_header(message, digest, sent_on), message.header.identification,
                                        message.header.sent_on, (HEADER_CODES.get(rule, RETOUR_TECHNICAL_ERROR),))
    answer = DeclarationAnswer(number=message.number, submitted_cents=message.total_cents,
                               submitted_debit_credit=message.total_debit_credit, granted_cents=0,
                               granted_debit_credit=DebitCredit.DEBET, codes=(code,))
    return DeclarationAnswerMessage(_answer_header(message, digest, sent_on), message.header.identification,
                                    message.header.sent_on, (RETOUR_NO_REMARKS,), answer)
