"""The iJw / iWmo 3.2 message codec: safe parsing, schema validation, reading and writing.

Pure Python (lxml); no Django. The ingest services in the Django apps build on it.
"""
