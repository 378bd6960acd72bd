"""Regiekamer: steering youth care and social support purchasing for Dutch regions."""

__version__ = "0.1.0"
