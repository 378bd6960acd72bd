"""Definitions of the figures on the dashboard: what each counts, how, and from which records.

Pure data: pages link to these, and tests recompute the figures from the source messages by these words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    id: str
    name: str
    unit: str
    definition: str
    formula: str
    records: str


CLIENTS_IN_CARE = Definition(
    id="clienten-in-zorg",
    name="Cliënten in zorg",
    unit="personen",
    definition=("Het aantal verschillende cliënten (jeugdigen) met ten minste één zorgperiode die in het gekozen jaar "
                "liep: gestart (startbericht 305) op of voor 31 december en niet gestopt (stopbericht 307) voor 1 januari. "
                "Een cliënt telt één keer per gemeente en segment; in de totaalregel één keer per gemeente."),
    formula="aantal unieke cliënten met start ≤ 31-12-J en (geen einde of einde ≥ 01-01-J)",
    records="Zorgperiodes uit start- en stopberichten (iJw 305/307); gemeente = ontvanger van het startbericht; "
            "segment = segment van het product.",
)

SPENDING = Definition(
    id="uitgaven",
    name="Uitgaven",
    unit="euro",
    definition=("De som van de toegekende declaratieregels (iJw 323) met een productperiode in het gekozen jaar: "
                "debetregels tellen op, creditregels trekken af. Afgewezen regels tellen niet mee. Taakgerichte "
                "segmenten declareren niet per cliënt: hun uitgaven lopen via de lumpsum en staan hier op nul."),
    formula="Σ bedrag(debet, toegekend) − Σ bedrag(credit, toegekend), productperiode in jaar J",
    records="Declaratieregels (prestaties) uit declaratieberichten; gemeente = ontvanger van de declaratie.",
)

COST_PER_CLIENT = Definition(
    id="kosten-per-client",
    name="Gemiddelde kosten per cliënt",
    unit="euro per cliënt",
    definition=("De uitgaven gedeeld door het aantal verschillende cliënten met ten minste één toegekende "
                "declaratieregel in het jaar (cliënten met uitgaven). Leeg wanneer er geen cliënten met uitgaven zijn."),
    formula="uitgaven / aantal unieke cliënten met toegekende declaratieregels in jaar J",
    records="Declaratieregels zoals bij Uitgaven.",
)

CLIENTS_WITH_SPENDING = Definition(
    id="clienten-met-uitgaven",
    name="Cliënten met uitgaven",
    unit="personen",
    definition="Het aantal verschillende cliënten met ten minste één toegekende declaratieregel in het jaar.",
    formula="aantal unieke cliënten met toegekende declaratieregels, productperiode in jaar J",
    records="Declaratieregels zoals bij Uitgaven.",
)

DEFINITIONS = (CLIENTS_IN_CARE, SPENDING, COST_PER_CLIENT, CLIENTS_WITH_SPENDING)
