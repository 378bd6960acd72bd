"""Pure-Python core: no Django imports here."""
