"""edXML (QCVN 102:2016/BTTTT) packages: read and write, behind this one adapter.

Reading is hardened: no DTD, no entities (internal or external), no network. The package is decoded to text
first, whatever its encoding (UTF-8, UTF-16, UTF-32, with or without a byte order mark, or as its declaration
says), the DTD rule is checked on that text, and exactly that text is what the XML parser reads, so no encoding
can hide a DOCTYPE. Large text nodes are allowed (a base64 Word attachment is easily over libxml2's 10 MB
default); the caller bounds the package's size. Elements are matched by namespace, never by prefix (real packages
put the root in the default namespace and the envelope's elements under an `edXML:` prefix bound to the same
one). Dates are written YYYY/MM/DD. Identifiers longer than we keep are refused, naming the element.
"""
from __future__ import annotations

import base64
import codecs
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from ocop.core.text import fold, xml_safe

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
_N = {"e": NS}
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARATION = re.compile(r"^\s*<\?xml\b.*?\?>", re.DOTALL)
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_ZEROS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<", "utf-16-be"),
          (b"<\x00", "utf-16-le"))

# the longest value kept of each identifier (the columns they are stored in)
MAX_LENGTHS = {"DocumentId": 200, "From/OrganId": 60, "DocumentType/Type": 20, "ResponseFor/DocumentId": 200}
MAX_NUMBER = 60  # CodeNumber/CodeNotation, a campaign's document number


# The kinds we recognise: (the words of TypeName, folded; the CodeNotation prefix). Real packages carry national
# category codes in Type/TypeDetail (1 or 18, 0): the kind is read from TypeName or the notation, never from Type.
KIND_WORDS = {"plan": ("ke hoach", "KH"), "notice": ("thong bao", "TB"), "report": ("bao cao", "BC"),
              "official_letter": ("cong van", "CV"), "decision": ("quyet dinh", "QĐ"), "minutes": ("bien ban", "BB")}
# What we write in DocumentType for the kinds we send: (Type, TypeDetail, TypeName). One table; change it here.
OUT_TYPES = {"plan": ("1", "0", "Kế hoạch"), "notice": ("1", "0", "Thông báo"), "report": ("1", "0", "Báo cáo")}


def kind_of(type_name: str, code_notation: str, doc_type: str = "") -> str:
    """The kind of a document: from TypeName (accent-insensitive), else the CodeNotation prefix (KH-…, QĐ-…), else
    the older letter codes some senders put in Type (KH, TB, BC); `other` when none says."""
    name = fold(type_name)
    for kind, (words, _) in KIND_WORDS.items():
        if name.startswith(words):
            return kind
    prefix = fold(code_notation.strip().split("-", 1)[0].split("/")[-1]).upper()
    legacy = fold(doc_type).upper()
    for code in (prefix, legacy):
        for kind, (_, letters) in KIND_WORDS.items():
            if code and code == fold(letters).upper():
                return kind
    return "other"


class EdxmlError(ValueError):
    """The package is not one we accept; the message says why (shown to the sender), `element` which element."""

    def __init__(self, message: str, element: str | None = None) -> None:
        super().__init__(message)
        self.element = element


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
    type_detail: str = ""
    signature: bytes | None = None  # the XML signature block of the header, kept as received
    to_places: list[str] = field(default_factory=list)
    response_for_document_id: str | None = None
    response_for_code: str | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"{self.code_number}/{self.code_notation}".strip("/")

    @property
    def kind(self) -> str:
        return kind_of(self.type_name, self.code_notation, self.doc_type)


def _parser() -> etree.XMLParser:
    # huge_tree lifts libxml2's limits on one text node (10 MB) and on depth; the entity limits it also lifts do
    # not matter: a package with a DTD never reaches the parser, and the caller bounds the size
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=True, remove_pis=True, remove_comments=True)


def _decode(data: bytes) -> str:
    """The package as text: by its byte order mark, else by the zero bytes UTF-16/32 put around '<', else by its
    XML declaration, else UTF-8."""
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], name
            break
    else:
        for start, name in _ZEROS:
            if data.startswith(start):
                encoding = name
                break
    if encoding is None:
        declared = _DECLARED_ENCODING.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
        try:
            family = codecs.lookup(encoding).name
        except LookupError as exc:
            raise EdxmlError(f"The encoding {encoding!r} is not supported.") from exc
        if family.startswith(("utf-16", "utf-32")):
            raise EdxmlError(f"The package declares {encoding} but is not encoded so (no byte order mark).")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EdxmlError(f"The package is not valid {encoding} text.") from exc


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


def _check_lengths(header: etree._Element) -> None:
    for path, longest in MAX_LENGTHS.items():
        if len(_text(header, "/".join(f"e:{p}" for p in path.split("/")))) > longest:
            raise EdxmlError(f"{path} may be at most {longest} characters.", element=path)


def parse(data: bytes) -> Package:
    text = _DECLARATION.sub("", _decode(data), count=1)  # the parser reads the text as UTF-8, as given below
    if _DTD.search(text):
        raise EdxmlError("Packages with a DTD or entity declarations are not accepted.")
    try:
        tree = etree.fromstring(text.encode("utf-8"), _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(f"The package is not well-formed XML: {exc.msg}.") from exc
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:  # never: checked above
        raise EdxmlError("Packages with a DTD or entity declarations are not accepted.")
    root = tree.getroot()
    if root.tag != f"{{{NS}}}edXML":
        raise EdxmlError(f"The root element must be edXML in the namespace {NS}.")
    header = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", _N)
    if header is None:
        raise EdxmlError("The package has no edXMLEnvelope/edXMLHeader/MessageHeader.")
    document_id = _text(header, "e:DocumentId")
    if not document_id:
        raise EdxmlError("The package has no DocumentId.", element="DocumentId")
    sender = header.find("e:From", _N)
    if sender is None or not _text(sender, "e:OrganId"):
        raise EdxmlError("The package does not say who sends it (From/OrganId).", element="From/OrganId")
    _check_lengths(header)
    response = header.find("e:ResponseFor", _N)
    header_block = header.getparent()
    signature = header_block.find(f".//{{{DSIG}}}Signature") if header_block is not None else None
    attachments = []
    for att in root.findall("e:AttachmentEncoded/e:Attachment", _N):
        try:
            payload = base64.b64decode(_text(att, "e:ContentTransferEncoded"), validate=False)
        except ValueError as exc:
            raise EdxmlError("An attachment is not valid base64.") from exc
        attachments.append(Attachment(content_id=_text(att, "e:ContentId"), name=_text(att, "e:AttachmentName"),
                                      content_type=_text(att, "e:ContentType") or "application/octet-stream",
                                      data=payload))
    code_number, code_notation = _text(header, "e:Code/e:CodeNumber"), _text(header, "e:Code/e:CodeNotation")
    if len(f"{code_number}/{code_notation}".strip("/")) > MAX_NUMBER:
        raise EdxmlError(f"Code/CodeNumber and Code/CodeNotation together may be at most {MAX_NUMBER} characters.",
                         element="Code/CodeNumber")
    return Package(
        document_id=document_id,
        sender=Organ(_text(sender, "e:OrganId"), _text(sender, "e:OrganName")),
        receivers=[Organ(_text(t, "e:OrganId"), _text(t, "e:OrganName")) for t in header.findall("e:To", _N)],
        code_number=code_number, code_notation=code_notation,
        place=_text(header, "e:PromulgationInfo/e:Place"),
        promulgation_date=_date(_text(header, "e:PromulgationInfo/e:PromulgationDate")),
        doc_type=_text(header, "e:DocumentType/e:Type"), type_name=_text(header, "e:DocumentType/e:TypeName"),
        type_detail=_text(header, "e:DocumentType/e:TypeDetail"),
        signature=bytes(etree.tostring(signature, with_tail=False)) if signature is not None else None,
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
            el.text = xml_safe(text)
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
    sub(kind, "TypeDetail", p.type_detail)
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
    if p.signature:
        header_block.append(etree.fromstring(p.signature, _parser()))
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
