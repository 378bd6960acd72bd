"""Safe XML parsing: no DTDs or entities, no network, bounded size, UTF-8 only."""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from regiekamer.ijw.errors import MessageError

# The standard allows 25 MB per message file (OP192); we refuse anything larger before parsing.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


# What a message may never make the parser do: load a DTD, expand entities, reach the network.
PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                      huge_tree=False, remove_blank_text=True, remove_comments=True, remove_pis=True)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**PARSER_OPTIONS)


def read_bounded(path: Path, limit: int = MAX_MESSAGE_BYTES) -> bytes:
    """The file's bytes, refused when it has more than `limit`. Reads what the file holds rather than asking for
    `limit` bytes at once (which allocates the whole limit for every small message)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= limit:
            data = handle.read(size + 1)
            if len(data) > size:  # the file grew since fstat: read on, up to one byte past the limit
                data += handle.read(limit + 1 - len(data))
            size = len(data)
    if size > limit:
        raise MessageError(str(path), "", "XML-SIZE",
                           f"bestand is {size} bytes; de grens is {limit} bytes (25 MB, OP192)")
    return data


def check_bytes(data: bytes, source: str, limit: int = MAX_MESSAGE_BYTES) -> None:
    """Refuse, before any parsing, what a message may never contain: too many bytes, DTDs and entities, any
    encoding but UTF-8."""
    if len(data) > limit:
        raise MessageError(source, "", "XML-SIZE", f"bericht is groter dan {limit} bytes (25 MB, OP192)")
    if not data.strip():
        raise MessageError(source, "", "XML-EMPTY", "bestand is leeg")
    head = data[:2048]
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise MessageError(source, "", "XML-ENTITY", "DOCTYPE- en ENTITY-declaraties zijn niet toegestaan")
    if head.startswith(b"\xef\xbb\xbf"):
        raise MessageError(source, "", "XML-ENCODING", "bestand begint met een BOM; UTF-8 zonder BOM is verplicht (OP179)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MessageError(source, "", "XML-ENCODING", "bestand is UTF-16; UTF-8 is verplicht (OP179)")
    declaration = head.split(b"?>", 1)[0] if head.startswith(b"<?xml") else b""
    if b"encoding" in declaration and b"utf-8" not in declaration.lower():
        raise MessageError(source, "", "XML-ENCODING", "XML-declaratie noemt een andere codering dan UTF-8 (OP179)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MessageError(source, f"byte {exc.start}", "XML-ENCODING", "bestand is geen geldige UTF-8") from None


def parse_bytes(data: bytes, source: str, limit: int = MAX_MESSAGE_BYTES) -> etree._Element:
    """Parse bytes into an element tree, refusing what a message may never contain."""
    check_bytes(data, source, limit)
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise MessageError(source, f"regel {line}" if line else "", "XML-SYNTAX",
                           f"geen geldige XML: {exc.msg}") from None
