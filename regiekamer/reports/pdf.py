"""HTML to PDF with the headless Chromium the project already installs (Debian's `chromium`, driven by
Playwright with `executable_path`). The page is given as a string and every network request is refused: a
report must print from what it contains (inline CSS and SVG), never from the network.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_SECONDS = 120
FOOTER = ('<div style="font-size:8px;color:#5b6b7b;width:100%;padding:0 15mm;display:flex;'
          'justify-content:space-between;font-family:sans-serif"><span>{title}</span>'
          '<span>pagina <span class="pageNumber"></span> van <span class="totalPages"></span></span></div>')


class PdfUnavailable(RuntimeError):
    """Chromium is not installed (scripts/system-deps.sh installs it) or could not print the page."""


def chromium_path() -> str:
    """REGIEKAMER_CHROMIUM, else `chromium` on the PATH."""
    path = os.environ.get("REGIEKAMER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise PdfUnavailable("chromium is niet geïnstalleerd (scripts/system-deps.sh)")
    return path


def html_to_pdf(html: str, title: str = "") -> bytes:
    """The page printed on A4 with page numbers in the footer. Runs Playwright in a thread of its own, so it
    works from a request thread, the command line and a test that drives a browser itself."""
    executable = chromium_path()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, title, executable).result(timeout=TIMEOUT_SECONDS)


def _print(html: str, title: str, executable: str) -> bytes:
    from html import escape

    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())  # nothing from the network
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, display_header_footer=True,
                                header_template="<span></span>", footer_template=FOOTER.format(title=escape(title)),
                                margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
            finally:
                browser.close()
    except Error as error:
        raise PdfUnavailable(f"chromium kon de pagina niet afdrukken: {error.message}") from error
