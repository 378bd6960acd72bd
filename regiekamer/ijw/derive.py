"""iWmo 3.2 schemas for the retour and answer messages, derived from their iJw 3.2 counterparts.

The collected schema set has no iWmo 302/306/308/316/318/320/325. In release 3.2 these messages have the
same structure in both standards; only the namespaces, the prefix names, the BerichtCode and the schema
version differ. `derive_iwmo_schema` makes exactly those substitutions, so the derived files can be checked
against their source at any time (tests/test_codec.py does). Replace them with the official downloads from
istandaarden.nl when those are at hand.

    python -m regiekamer.ijw.derive     rewrites regiekamer/ijw/xsd/iwmo-3.2/WMO3xx.xsd for DERIVED
"""

from __future__ import annotations

import re
from pathlib import Path

from regiekamer.ijw.constants import MESSAGE_KINDS, XSD_VERSION, Standard

XSD_DIR = Path(__file__).resolve().parent / "xsd"
DERIVED = (302, 306, 308, 316, 318, 320, 325)


def derive_iwmo_schema(ijw_schema: str, number: int) -> str:
    jw, wmo = MESSAGE_KINDS[f"JW{number}"], MESSAGE_KINDS[f"WMO{number}"]
    text = ijw_schema.replace(f"/ijw/3_2/jw{number}/schema", f"/iwmo/3_2/wmo{number}/schema")
    text = text.replace("/ijw/3_2/basisschema/schema", "/iwmo/3_2/basisschema/schema")
    text = re.sub(rf"\bjw{number}:", f"wmo{number}:", text)
    text = text.replace(f"xmlns:jw{number}=", f"xmlns:wmo{number}=")
    text = re.sub(r"\bijw:", "iwmo:", text).replace("xmlns:ijw=", "xmlns:iwmo=")
    text = text.replace("<iwmo:standaard>ijw</iwmo:standaard>", "<iwmo:standaard>iwmo</iwmo:standaard>")
    text = text.replace(f"<iwmo:bericht>jw{number}</iwmo:bericht>", f"<iwmo:bericht>wmo{number}</iwmo:bericht>")
    text = text.replace(f'<xs:pattern value="{jw.code}"/>', f'<xs:pattern value="{wmo.code}"/>')
    old, new = XSD_VERSION[Standard.IJW], XSD_VERSION[Standard.IWMO]
    text = re.sub(r"(Xsd(?:Min|Max)?Versie>)" + re.escape(old) + "<", lambda m: m.group(1) + new + "<", text)
    return text.replace("Jeugdhulp", "Wmo-ondersteuning").replace("jeugdhulp", "Wmo-ondersteuning")


def derived_schemas() -> dict[Path, str]:
    return {XSD_DIR / "iwmo-3.2" / f"WMO{number}.xsd":
            derive_iwmo_schema((XSD_DIR / "ijw-3.2" / f"JW{number}.xsd").read_text(encoding="utf-8"), number)
            for number in DERIVED}


if __name__ == "__main__":
    for path, text in derived_schemas().items():
        path.write_text(text, encoding="utf-8")
        print(path)
