"""Building the demo: generate a region, load its register, ingest its messages, create demo users."""
