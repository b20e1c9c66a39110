"""edXML (QCVN 102:2016/BTTTT) packages: read and write, behind this one adapter.

Reading is hardened: no DTD, no entities (internal or external), no network, no huge trees; elements are
matched by namespace, never by prefix (real packages put the root in the default namespace and the envelope's
elements under an `edXML:` prefix bound to the same one). Dates are written YYYY/MM/DD.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_N = {"e": NS}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class EdxmlError(ValueError):
    """The package is not one we accept; the message says why (shown to the sender)."""


@dataclass
class Organ:
    organ_id: str
    name: str = ""


@dataclass
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes


@dataclass
class Package:
    document_id: str
    sender: Organ
    receivers: list[Organ]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date | None
    doc_type: str
    type_name: str
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    to_places: list[str] = field(default_factory=list)
    response_for_document_id: str | None = None
    response_for_code: str | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"{self.code_number}/{self.code_notation}".strip("/")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_pis=True, remove_comments=True)


def _text(node: etree._Element | None, path: str) -> str:
    if node is None:
        return ""
    found = node.find(path, _N)
    return (found.text or "").strip() if found is not None else ""


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise EdxmlError(f"The date {value!r} is not in the form YYYY/MM/DD.")


def parse(data: bytes) -> Package:
    if _DTD.search(data[:65536]) or b"<!ENTITY" in data.upper():
        raise EdxmlError("Packages with a DTD or entity declarations are not accepted.")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(f"The package is not well-formed XML: {exc.msg}.") from exc
    if root.tag != f"{{{NS}}}edXML":
        raise EdxmlError(f"The root element must be edXML in the namespace {NS}.")
    header = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", _N)
    if header is None:
        raise EdxmlError("The package has no edXMLEnvelope/edXMLHeader/MessageHeader.")
    document_id = _text(header, "e:DocumentId")
    if not document_id:
        raise EdxmlError("The package has no DocumentId.")
    sender = header.find("e:From", _N)
    if sender is None or not _text(sender, "e:OrganId"):
        raise EdxmlError("The package does not say who sends it (From/OrganId).")
    response = header.find("e:ResponseFor", _N)
    attachments = []
    for att in root.findall("e:AttachmentEncoded/e:Attachment", _N):
        try:
            payload = base64.b64decode(_text(att, "e:ContentTransferEncoded"), validate=False)
        except ValueError as exc:
            raise EdxmlError("An attachment is not valid base64.") from exc
        attachments.append(Attachment(content_id=_text(att, "e:ContentId"), name=_text(att, "e:AttachmentName"),
                                      content_type=_text(att, "e:ContentType") or "application/octet-stream",
                                      data=payload))
    return Package(
        document_id=document_id,
        sender=Organ(_text(sender, "e:OrganId"), _text(sender, "e:OrganName")),
        receivers=[Organ(_text(t, "e:OrganId"), _text(t, "e:OrganName")) for t in header.findall("e:To", _N)],
        code_number=_text(header, "e:Code/e:CodeNumber"), code_notation=_text(header, "e:Code/e:CodeNotation"),
        place=_text(header, "e:PromulgationInfo/e:Place"),
        promulgation_date=_date(_text(header, "e:PromulgationInfo/e:PromulgationDate")),
        doc_type=_text(header, "e:DocumentType/e:Type"), type_name=_text(header, "e:DocumentType/e:TypeName"),
        subject=_text(header, "e:Subject"), content=_text(header, "e:Content"),
        signer_competence=_text(header, "e:SignerInfo/e:Competence"),
        signer_position=_text(header, "e:SignerInfo/e:Position"),
        signer_name=_text(header, "e:SignerInfo/e:FullName"),
        to_places=[(p.text or "").strip() for p in header.findall("e:ToPlaces/e:Place", _N) if (p.text or "").strip()],
        response_for_document_id=_text(response, "e:DocumentId") or None if response is not None else None,
        response_for_code=_text(response, "e:Code") or None if response is not None else None,
        attachments=attachments)


def build(p: Package) -> bytes:
    """A package with the header fields and the attachments (the envelope's elements under the edXML: prefix)."""
    root = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS, "edXML": NS})  # type: ignore[dict-item]

    def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{NS}}}{name}", nsmap={"edXML": NS})
        if text is not None:
            el.text = text
        return el

    envelope = sub(root, "edXMLEnvelope")
    header_block = sub(envelope, "edXMLHeader")
    header = sub(header_block, "MessageHeader")
    sender = sub(header, "From")
    sub(sender, "OrganId", p.sender.organ_id)
    sub(sender, "OrganName", p.sender.name)
    for organ in p.receivers:
        to = sub(header, "To")
        sub(to, "OrganId", organ.organ_id)
        sub(to, "OrganName", organ.name)
    sub(header, "DocumentId", p.document_id)
    code = sub(header, "Code")
    sub(code, "CodeNumber", p.code_number)
    sub(code, "CodeNotation", p.code_notation)
    info = sub(header, "PromulgationInfo")
    sub(info, "Place", p.place)
    sub(info, "PromulgationDate", p.promulgation_date.strftime("%Y/%m/%d") if p.promulgation_date else "")
    kind = sub(header, "DocumentType")
    sub(kind, "Type", p.doc_type)
    sub(kind, "TypeName", p.type_name)
    sub(header, "Subject", p.subject)
    sub(header, "Content", p.content)
    signer = sub(header, "SignerInfo")
    sub(signer, "Competence", p.signer_competence)
    sub(signer, "Position", p.signer_position)
    sub(signer, "FullName", p.signer_name)
    places = sub(header, "ToPlaces")
    for place in p.to_places:
        sub(places, "Place", place)
    if p.response_for_document_id:
        answered = sub(header, "ResponseFor")
        sub(answered, "DocumentId", p.response_for_document_id)
        if p.response_for_code:
            sub(answered, "Code", p.response_for_code)
    trace = sub(header_block, "TraceHeaderList")
    business = sub(trace, "Bussiness")  # (sic) the standard's spelling
    sub(business, "BussinessDocType", "0")
    manifest = sub(envelope, "edXMLManifest")
    encoded = sub(root, "AttachmentEncoded")
    for att in p.attachments:
        ref = sub(manifest, "Reference")
        sub(ref, "ContentId", att.content_id)
        sub(ref, "AttachmentName", att.name)
        el = sub(encoded, "Attachment")
        sub(el, "ContentId", att.content_id)
        sub(el, "AttachmentName", att.name)
        sub(el, "ContentType", att.content_type)
        sub(el, "ContentTransferEncoded", base64.b64encode(att.data).decode())
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
