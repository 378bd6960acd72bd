"""Published figures the generator is calibrated to, with their sources.

All figures come from the CBS publications transcribed in the project's reference set
(`shared/reference/`, see its SOURCES.md); the file names are given per figure.
"""

from __future__ import annotations

from regiekamer.ijw.constants import ReferrerType, StopReason

# Share of residents under 18 with youth care in kind during a year.
# cbs_aandeel_lt18_jeugdhulp_in_natura_2020_extract.csv / cbs_jeugdzorg_landelijk_kerncijfers.csv:
# national 12.0 % in 2020 (jeugdhulp in natura, < 18). We use 11.5 % as the regional mean with a
# spread of ±15 % between municipalities (the 2020 extract ranges from 7.6 % to 11.8 % in its first rows).
SHARE_IN_CARE = 0.115
SHARE_SPREAD = 0.15

# Yearly growth of inflow: youth care use rose from 430k (2018) to 474k (2023) persons,
# about 2 % a year (cbs_jeugdzorg_landelijk_kerncijfers.csv); spending rose faster. We use 2.5 %.
INFLOW_GROWTH = 0.025

# Referrer mix of youth care trajectories in kind, 2021 (cbs_85096NED_jeugdhulptrajecten_verwijzer_2021_NL.csv,
# column totaal_trajecten). GI and court are used for the GI segment only (see REFERRER_MIX_GI).
REFERRER_MIX = {
    ReferrerType.GEMEENTE: 195_985,
    ReferrerType.HUISARTS: 222_165,
    ReferrerType.JEUGDARTS: 17_310,
    ReferrerType.MEDISCH_SPECIALIST: 30_070,
    ReferrerType.GEEN_VERWIJZER: 94_605,
}
REFERRER_MIX_GI = {
    ReferrerType.GECERTIFICEERDE_INSTELLING: 58_015,
    ReferrerType.RECHTER: 2_325,
}

# Duration of trajectories, 2021 (same CBS table, columns duur_*): (lower months, upper months, count).
DURATION_BINS = [
    (0, 3, 47_200),
    (3, 6, 50_485),
    (6, 12, 86_590),
    (12, 24, 68_260),
    (24, 36, 19_610),
    (36, 48, 9_175),
    (48, 60, 11_505),
]

# Stop reasons (JZ588). The national outcome set reports dropout (32-35) at roughly a tenth to a fifth of
# ended trajectories; this mix gives 21 %, within that band. Not a published distribution: an assumption.
STOP_REASON_MIX = {
    StopReason.VOLGENS_PLAN: 62,
    StopReason.VOORTIJDIG_CLIENT: 8,
    StopReason.VOORTIJDIG_AANBIEDER: 3,
    StopReason.VOORTIJDIG_OVEREENSTEMMING: 7,
    StopReason.VOORTIJDIG_EXTERN: 3,
    StopReason.GEMEENTE: 5,
    StopReason.ANDERE_AANBIEDER: 7,
    StopReason.ANDER_DOMEIN: 5,
}

# iWmo knows no "voortijdig afgesloten" stop reasons (32-35): Wmo care ends by plan, by the municipality, by a move
# to another provider or to another domain (an assumption, not a published distribution).
STOP_REASON_MIX_WMO = {
    StopReason.VOLGENS_PLAN: 70,
    StopReason.GEMEENTE: 12,
    StopReason.ANDERE_AANBIEDER: 8,
    StopReason.ANDER_DOMEIN: 10,
}

# Yearly tariff indexation (OVA-like); regions index tariffs a few percent a year.
TARIFF_INDEXATION = 0.035

# Provider concentration: provider shares in a segment follow a Zipf law with this exponent, which
# gives the top five providers 75-80 % of a small residential segment, as the seeds report.
PROVIDER_ZIPF_EXPONENT = 1.1

# Share of clients with a second, concurrent trajectory in another segment.
SECOND_TRAJECTORY_SHARE = 0.12

# Share of declaration lines that are corrected later: credited exactly and declared again.
CORRECTION_SHARE = 0.004

# Assignments are given for at most a year (a common term in regional access policies; an assumption, not a
# published figure). Care that runs longer is extended on the provider's request for change (317).
ASSIGNMENT_TERM_DAYS = 365

# Task budgets, availability fees and hard ceilings are part of a region's strategy file (bekostiging per lot,
# regiekamer/strategy/regions/*.toml). A hard ceiling is set near what the provider earned in the first year:
CEILING_FACTOR = 1.05

# A segment contracted as a partnership (seed 001: "samenwerkingsverband") gets this many of the largest providers
# of the segment it draws from.
PARTNERSHIP_SIZE = 3
