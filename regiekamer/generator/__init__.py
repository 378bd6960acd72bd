"""Synthetic region generator: a realistic region as iJw messages plus its contract register.

Pure Python: it writes files and never touches the database. The ingest path reads what it writes.
"""
