"""Code lists of the care flow (iJw 3.2), as Django choices built from regiekamer.ijw.constants."""

from regiekamer.core.choices import text_choices
from regiekamer.ijw import constants as ijw

ReferrerType = text_choices("ReferrerType", ijw.ReferrerType, ijw.REFERRER_LABELS)
Frequency = text_choices("Frequency", ijw.Frequency, ijw.FREQUENCY_LABELS)
StopReason = text_choices("StopReason", ijw.StopReason, ijw.STOP_REASON_LABELS)
