"""Closed lists of the tenders app, each with its Dutch label. Pure Python: the core modules use them too."""

from __future__ import annotations

import enum
from datetime import timedelta

# ASSUMPTION: the standstill period (opschortende termijn) is 20 calendar days after the award decision, as the
# Aanbestedingswet 2012 (art. 2.127) sets for European tenders and as regions usually apply to social services too.
STANDSTILL = timedelta(days=20)
CONSENSUS_SPREAD = 2  # assessors who differ more than this many points must record a consensus before ranking
MIN_ASSESSORS = 2  # every bid is scored on every criterion by at least this many assessors
SCORE_MAX = 10
WEIGHT_TOTAL = 100
EXPIRY_MONTHS = 6  # a contract ending within this many months raises an expiry alert
EXTENSION_NOTICE_MONTHS = 9  # ... and one with an extension left an alert to decide on it


class RequirementKind(enum.StrEnum):
    """A minimum requirement (knock-out): a bid that does not meet it is out."""

    MIN_CLIENTS_REGION = "min-clienten-regio"  # at least N clients, to bid for the whole region
    MIN_CLIENTS_SUBREGION = "min-clienten-subregio"  # at least N clients, to bid for one subregion
    MAX_DISTANCE_KM = "max-afstand-km"  # help within N km
    CERTIFICATE = "certificaat"  # holds a named certificate (e.g. HKZ, VOG for its staff)


REQUIREMENT_LABELS = {
    RequirementKind.MIN_CLIENTS_REGION: "minimum aantal cliënten (hele regio)",
    RequirementKind.MIN_CLIENTS_SUBREGION: "minimum aantal cliënten (subregio)",
    RequirementKind.MAX_DISTANCE_KM: "maximale afstand (km)",
    RequirementKind.CERTIFICATE: "certificaat",
}


class TenderStatus(enum.StrEnum):
    OPEN = "open"
    GEGUND = "gegund"


TENDER_STATUS_LABELS = {TenderStatus.OPEN: "open", TenderStatus.GEGUND: "gegund"}


class Outcome(enum.StrEnum):
    """What the award decision says of one bid."""

    GEGUND = "gegund"
    NIET_GEGUND = "niet-gegund"  # met every requirement, but ranked below the maximum number of providers
    UITGESLOTEN = "uitgesloten"  # failed a minimum requirement


OUTCOME_LABELS = {Outcome.GEGUND: "gegund", Outcome.NIET_GEGUND: "niet gegund", Outcome.UITGESLOTEN: "uitgesloten"}


class ReportDuty(enum.StrEnum):
    """The duties to report (meldplichten) every contract from a tender carries (seed 000)."""

    CALAMITEITEN = "calamiteiten"
    WACHTLIJSTEN = "wachtlijsten"
    FINANCIELE_POSITIE = "financiele-positie"
    INSPECTIERAPPORTEN = "inspectierapporten"
    ONDERAANNEMERS = "onderaannemers"


REPORT_DUTY_LABELS = {
    ReportDuty.CALAMITEITEN: "calamiteiten en geweld bij de zorg",
    ReportDuty.WACHTLIJSTEN: "wachtlijsten en wachttijden",
    ReportDuty.FINANCIELE_POSITIE: "verslechtering van de financiële positie",
    ReportDuty.INSPECTIERAPPORTEN: "rapporten van de inspectie",
    ReportDuty.ONDERAANNEMERS: "inzet van onderaannemers",
}

# When each duty is due, in words for the contract (ASSUMPTION: the seeds name the duties, not their terms).
REPORT_DUTY_TERMS = {
    ReportDuty.CALAMITEITEN: "binnen 3 werkdagen na de calamiteit",
    ReportDuty.WACHTLIJSTEN: "maandelijks",
    ReportDuty.FINANCIELE_POSITIE: "direct zodra de aanbieder het weet",
    ReportDuty.INSPECTIERAPPORTEN: "binnen 5 werkdagen na ontvangst",
    ReportDuty.ONDERAANNEMERS: "vooraf, vóór de inzet",
}


class AlertKind(enum.StrEnum):
    EXPIRY = "afloop"
    EXTENSION = "verlenging"
    KPI_MISSED = "kpi-gemist"


ALERT_LABELS = {AlertKind.EXPIRY: "contract loopt af", AlertKind.EXTENSION: "besluit over verlenging nodig",
                AlertKind.KPI_MISSED: "KPI-doel niet gehaald"}
