"""Schema validation against the iJw / iWmo 3.2 XSDs, with the compiled schemas cached."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from regiekamer.ijw.constants import KIND_BY_NAMESPACE, MessageKind
from regiekamer.ijw.errors import MessageError

XSD_DIR = Path(__file__).resolve().parent / "xsd"


@lru_cache(maxsize=None)
def schema_for(kind: MessageKind) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.parse(str(XSD_DIR / kind.schema_file), parser)
    return etree.XMLSchema(document)


@lru_cache(maxsize=None)
def is_supported(kind: MessageKind) -> bool:
    return (XSD_DIR / kind.schema_file).exists()


def kind_of(root: etree._Element, source: str) -> MessageKind:
    name = etree.QName(root)
    namespace = name.namespace or ""
    kind = KIND_BY_NAMESPACE.get(namespace)
    if kind is None or name.localname != "Bericht":
        raise MessageError(source, "/", "MSG-TYPE",
                           f"onbekend berichttype (root {name.localname!r}, namespace {namespace!r})")
    if not is_supported(kind):
        raise MessageError(source, "/", "MSG-TYPE", f"berichttype {kind.name} wordt (nog) niet ondersteund")
    return kind


def validate(root: etree._Element, kind: MessageKind, source: str) -> None:
    schema = schema_for(kind)
    if schema.validate(root):
        return
    error = schema.error_log.filter_from_errors()[0] if schema.error_log.filter_from_errors() else schema.error_log.last_error
    path = error.path or ""
    for namespace in (kind.namespace,):
        path = path.replace(f"{{{namespace}}}", "")
    path = path.replace("*[local-name() = 'Bericht']", "Bericht")
    raise MessageError(source, f"{path} (regel {error.line})", "XSD",
                       f"voldoet niet aan het {kind.name}-schema: {error.message}")
