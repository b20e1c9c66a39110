"""A package shaped like a real provincial e-office platform's (read from public integration code): the root in
the default namespace, the envelope under an `edXML:` prefix bound to the same namespace, numeric DocumentType
codes with the kind in words, slash dates, the trace spelled `Bussiness`, an XML signature block in the header and
a Word attachment of a few hundred KB in AttachmentEncoded."""
from __future__ import annotations

import base64
import io
import random
import zipfile

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def word_docx(size: int = 300_000) -> bytes:
    """A Word document of about `size` bytes (python-docx's, with an embedded picture that does not compress)."""
    from docx import Document

    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("KẾ HOẠCH Kiểm tra sản phẩm OCOP năm 2026")
    doc.save(buf)
    rnd = random.Random(102)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("word/media/image1.png", bytes(rnd.getrandbits(8) for _ in range(size)))
    return buf.getvalue()


def platform_package(document_id: str = "000.00.00.H36,2026,1201", sender: str = "000.00.00.H36",
                     type_name: str = "Kế hoạch", notation: str = "KH-UBND", number: str = "112",
                     subject: str = "Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm 2026", type_code: str = "1",
                     docx: bytes | None = None, response_for: str | None = None) -> bytes:
    word = docx if docx is not None else word_docx()
    answered = (f"<edXML:ResponseFor><edXML:OrganId>000.00.00.G22</edXML:OrganId>"
                f"<edXML:DocumentId>{response_for}</edXML:DocumentId></edXML:ResponseFor>") if response_for else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}" xmlns:edXML="{NS}">
  <edXML:edXMLEnvelope>
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>{sender}</edXML:OrganId>
          <edXML:OrganName>UBND tỉnh Lạng Sơn</edXML:OrganName>
          <edXML:OrganAdd>Số 1 Hoàng Văn Thụ, Lạng Sơn</edXML:OrganAdd>
          <edXML:Email>ubnd@langson.gov.vn</edXML:Email>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganName>Sở Nông nghiệp và Môi trường</edXML:OrganName>
        </edXML:To>
        <edXML:DocumentId>{document_id}</edXML:DocumentId>
        <edXML:Code>
          <edXML:CodeNumber>{number}</edXML:CodeNumber>
          <edXML:CodeNotation>{notation}</edXML:CodeNotation>
        </edXML:Code>
        <edXML:PromulgationInfo>
          <edXML:Place>Lạng Sơn</edXML:Place>
          <edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate>
        </edXML:PromulgationInfo>
        <edXML:DocumentType>
          <edXML:Type>{type_code}</edXML:Type>
          <edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>{type_name}</edXML:TypeName>
        </edXML:DocumentType>
        <edXML:Subject>{subject}</edXML:Subject>
        <edXML:Content>Thực hiện Chương trình mỗi xã một sản phẩm, UBND tỉnh ban hành kế hoạch kiểm tra.</edXML:Content>
        <edXML:SignerInfo>
          <edXML:Competence>TM.</edXML:Competence>
          <edXML:Position>Chủ tịch</edXML:Position>
          <edXML:FullName>Hồ Tiến Thiệu</edXML:FullName>
        </edXML:SignerInfo>
        <edXML:DueDate>2026/04/30</edXML:DueDate>
        <edXML:ToPlaces>
          <edXML:Place>Sở Nông nghiệp và Môi trường</edXML:Place>
          <edXML:Place>Lưu: VT</edXML:Place>
        </edXML:ToPlaces>
        <edXML:OtherInfo>
          <edXML:Priority>0</edXML:Priority>
          <edXML:PageAmount>3</edXML:PageAmount>
        </edXML:OtherInfo>
        {answered}
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>{sender}</edXML:OrganId>
          <edXML:Timestamp>2026/03/02 08:15:30</edXML:Timestamp>
        </edXML:TraceHeader>
        <edXML:Bussiness>
          <edXML:BussinessDocType>0</edXML:BussinessDocType>
          <edXML:BussinessDocReason>Văn bản mới</edXML:BussinessDocReason>
        </edXML:Bussiness>
      </edXML:TraceHeaderList>
      <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">
        <SignedInfo>
          <CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
          <SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>
          <Reference URI=""><DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>
            <DigestValue>q3a1dGVzdGRpZ2VzdA==</DigestValue></Reference>
        </SignedInfo>
        <SignatureValue>c2lnbmF0dXJlLXZhbHVl</SignatureValue>
        <KeyInfo><X509Data><X509SubjectName>CN=UBND tinh Lang Son</X509SubjectName></X509Data></KeyInfo>
      </Signature>
    </edXML:edXMLHeader>
    <edXML:edXMLManifest version="1.0">
      <edXML:Reference>
        <edXML:ContentId>cid:1</edXML:ContentId>
        <edXML:ContentType>application/vnd.openxmlformats-officedocument.wordprocessingml.document</edXML:ContentType>
        <edXML:AttachmentName>KH-112-UBND.docx</edXML:AttachmentName>
        <edXML:Description>Kế hoạch</edXML:Description>
      </edXML:Reference>
    </edXML:edXMLManifest>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>cid:1</ContentId>
      <AttachmentName>KH-112-UBND.docx</AttachmentName>
      <ContentType>application/vnd.openxmlformats-officedocument.wordprocessingml.document</ContentType>
      <ContentTransferEncoded>{base64.b64encode(word).decode()}</ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>""".encode()
