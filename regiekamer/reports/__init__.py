"""Reports for people outside the office: the council report (raadsrapportage) per municipality and year, as an
HTML page and as a PDF printed by headless Chromium."""
