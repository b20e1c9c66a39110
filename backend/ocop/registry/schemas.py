from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ocop.core.pagination import Page
from ocop.core.schemas import SingleLine, Strict

ProducerKind = Literal["enterprise", "cooperative", "cooperative_group", "household_business"]
ProducerStatus = Literal["active", "suspended", "ceased"]
ProductStatus = Literal["active", "discontinued"]
CertificateStatus = Literal["valid", "expiring", "expired", "revoked", "superseded"]
CertifyingLevel = Literal["district", "province", "central"]

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), SingleLine]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 .\-()]{6,20}$")]

_TAX = re.compile(r"^(\d{10})(-\d{3})?$")
_PIN = re.compile(r"^\d{12}$")  # số định danh cá nhân: the tax code of individuals since 1 July 2025
_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
# Kinds that may use the 12-digit personal identification number as their tax code (Circular 86/2024/TT-BTC,
# from 1 July 2025); a household business may still hold the 10-digit code it was given before.
PERSONAL_ID_KINDS = frozenset({"household_business"})
KIND_LABELS = {"enterprise": "doanh nghiệp", "cooperative": "hợp tác xã", "cooperative_group": "tổ hợp tác",
               "household_business": "hộ kinh doanh"}
TAX_FORMS_ORGANISATION = ("10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số của đơn vị phụ thuộc "
                          "(ví dụ 4900123456 hoặc 4900123456-001)")
TAX_FORMS_PERSONAL = ("số định danh cá nhân 12 chữ số của chủ hộ (từ 01/7/2025, ví dụ 020190001234), "
                      "hoặc mã số thuế 10 chữ số đã được cấp trước đây")


def tax_code_form(kind: str | None) -> str:
    """Which forms of tax code apply to a producer of this kind, in Vietnamese."""
    if kind in PERSONAL_ID_KINDS:
        return TAX_FORMS_PERSONAL
    if kind is None:
        return TAX_FORMS_ORGANISATION + ", hoặc số định danh cá nhân 12 chữ số (hộ kinh doanh)"
    return TAX_FORMS_ORGANISATION


def tax_code_problem(value: str, kind: str | None = None) -> str | None:
    """None when valid; otherwise the reason, in Vietnamese (shown to users as it is).

    Without a kind, any of the three forms is accepted (10 digits, 10-3 for a branch, 12-digit personal
    identification number); with one, only the forms for that kind of producer."""
    if _PIN.match(value):
        if kind is not None and kind not in PERSONAL_ID_KINDS:
            return (f"Mã số thuế của {KIND_LABELS.get(kind, kind)} phải gồm {TAX_FORMS_ORGANISATION}; "
                    "số định danh cá nhân 12 chữ số chỉ dùng cho hộ kinh doanh.")
        # no checksum is published: check the shape only (province code 001–096, then century and sex 0–9)
        if not 1 <= int(value[:3]) <= 96:
            return ("Mã số thuế không hợp lệ: số định danh cá nhân 12 chữ số phải bắt đầu bằng mã tỉnh "
                    "nơi đăng ký khai sinh (001 đến 096).")
        return None
    m = _TAX.match(value)
    if not m:
        if kind is None:
            return f"Mã số thuế phải gồm {tax_code_form(None)}."
        return f"Mã số thuế của {KIND_LABELS.get(kind, kind)} phải là {tax_code_form(kind)}."
    digits = [int(c) for c in m.group(1)]
    check = 10 - sum(w * d for w, d in zip(_WEIGHTS, digits, strict=False)) % 11
    if check == 10 or check != digits[9]:
        return "Mã số thuế không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng."
    return None


def _tax(v: str | None, kind: str | None = None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    if not v:
        return None
    problem = tax_code_problem(v, kind)
    if problem:
        raise ValueError(problem)
    return v


# ---- taxonomy -------------------------------------------------------------------------------

class CriteriaVersionRead(BaseModel):
    id: int
    code: str
    decision_number: str
    decision_date: date
    amended_by: str | None
    valid_from: date
    valid_to: date | None


class ProductGroupRead(BaseModel):
    id: int
    criteria_version_id: int
    number: int
    name: str


class ProductSetRead(BaseModel):
    id: int
    criteria_version_id: int
    group_id: int
    number: int
    name: str
    confirmed: bool


class TaxonomyRead(BaseModel):
    criteria_version: CriteriaVersionRead
    groups: list[ProductGroupRead]
    sets: list[ProductSetRead]


# ---- producers ------------------------------------------------------------------------------

class ProducerRead(BaseModel):
    id: int
    kind: ProducerKind
    name: str
    tax_code: str | None
    business_reg_no: str | None
    representative: str | None
    phone: str | None
    email: str | None
    address: str | None
    admin_unit_id: int | None
    admin_unit_name: str | None = None
    status: ProducerStatus
    is_sample: bool
    note: str | None
    product_count: int = 0
    created_at: datetime
    updated_at: datetime
    version: int


class ProducerCreate(Strict):
    kind: ProducerKind
    name: Text300
    tax_code: str | None = None
    business_reg_no: Annotated[str | None, Field(max_length=40)] = None
    representative: Annotated[str | None, Field(max_length=200)] = None
    phone: Phone | None = None
    email: EmailStr | None = None
    address: Annotated[str | None, Field(max_length=500)] = None
    admin_unit_id: int
    status: ProducerStatus = "active"
    note: Annotated[str | None, Field(max_length=4000)] = None

    @field_validator("tax_code")
    @classmethod
    def _tax_code(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _tax(v, info.data.get("kind"))  # kind is declared first, so it is validated already


class ProducerUpdate(Strict):
    kind: ProducerKind | None = None
    name: Text300 | None = None
    tax_code: str | None = None
    business_reg_no: Annotated[str | None, Field(max_length=40)] = None
    representative: Annotated[str | None, Field(max_length=200)] = None
    phone: Phone | None = None
    email: EmailStr | None = None
    address: Annotated[str | None, Field(max_length=500)] = None
    admin_unit_id: int | None = None
    status: ProducerStatus | None = None
    note: Annotated[str | None, Field(max_length=4000)] = None

    @field_validator("tax_code")
    @classmethod
    def _tax_code(cls, v: str | None, info: ValidationInfo) -> str | None:
        # the kind may be absent (it is then the stored one): the service checks that combination
        return _tax(v, info.data.get("kind"))


ProducerPage = Page[ProducerRead]


# ---- products -------------------------------------------------------------------------------

class CertificateBrief(BaseModel):
    id: int
    certificate_number: str
    stars: int
    valid_from: date
    valid_to: date
    status: CertificateStatus


class ProductRead(BaseModel):
    id: int
    producer_id: int
    producer_name: str
    admin_unit_id: int | None
    name: str
    product_set_id: int | None
    product_set_number: int | None = None
    group_number: int | None = None
    description: str | None
    status: ProductStatus
    is_sample: bool
    certificate: CertificateBrief | None = None
    created_at: datetime
    updated_at: datetime
    version: int


class ProductCreate(Strict):
    producer_id: int
    name: Text300
    product_set_id: int | None = None
    description: Annotated[str | None, Field(max_length=4000)] = None
    status: ProductStatus = "active"


class ProductUpdate(Strict):
    name: Text300 | None = None
    product_set_id: int | None = None
    description: Annotated[str | None, Field(max_length=4000)] = None
    status: ProductStatus | None = None


ProductPage = Page[ProductRead]


# ---- certificates ---------------------------------------------------------------------------

def stars_for_score(score: float) -> int | None:
    """The star band of a council score (Decision 148/QĐ-TTg): 5★ 90–100, 4★ 70–89, 3★ 50–69."""
    if score >= 90:
        return 5
    if score >= 70:
        return 4
    if score >= 50:
        return 3
    return None


class CertificateRead(BaseModel):
    id: int
    product_id: int
    product_name: str
    producer_id: int
    producer_name: str
    certificate_number: str
    decision_number: str | None
    decision_date: date
    certifying_agency_id: int | None
    certifying_level: CertifyingLevel
    criteria_version_id: int | None
    score: float | None
    stars: int
    valid_from: date
    valid_to: date
    status: CertificateStatus
    revocation_decision: str | None
    revocation_date: date | None
    revocation_reason: str | None
    superseded_by_id: int | None
    is_sample: bool
    created_at: datetime
    updated_at: datetime
    version: int


class CertificateCreate(Strict):
    product_id: int
    certificate_number: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=60)] = None
    decision_number: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=60)] = None
    decision_date: date
    certifying_agency_id: int | None = None
    certifying_level: CertifyingLevel = "province"
    criteria_version_id: int | None = None
    score: Annotated[float | None, Field(ge=0, le=100)] = None
    stars: Annotated[int, Field(ge=1, le=5)]
    valid_to: date | None = None

    @model_validator(mode="after")
    def _rules(self) -> CertificateCreate:
        if self.stars < 3:
            raise ValueError("Sản phẩm dưới 3 sao không được công nhận OCOP (không cấp giấy chứng nhận).")
        if self.score is not None and stars_for_score(self.score) != self.stars:
            raise ValueError(f"Hạng sao không khớp với điểm: {self.score:g} điểm tương ứng "
                             f"{stars_for_score(self.score) or 'dưới 3'} sao.")
        if self.valid_to is not None and self.valid_to <= self.decision_date:
            raise ValueError("Ngày hết hiệu lực phải sau ngày quyết định.")
        return self


class Revocation(Strict):
    decision_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    decision_date: date
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=4000)]


CertificatePage = Page[CertificateRead]


class PublicCertificate(BaseModel):
    certificate_number: str
    product_name: str
    producer_name: str
    stars: int
    valid_from: date
    valid_to: date
    status: CertificateStatus
    as_of: date


# ---- stamps ---------------------------------------------------------------------------------

class StampIssueCreate(Strict):
    issued_on: date
    quantity: Annotated[int, Field(gt=0, le=10_000_000)]
    stars: Annotated[int, Field(ge=3, le=5)]
    serial_from: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=40)] = None
    serial_to: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=40)] = None
    note: Annotated[str | None, Field(max_length=2000)] = None

    @model_validator(mode="after")
    def _serials(self) -> StampIssueCreate:
        if bool(self.serial_from) != bool(self.serial_to):
            raise ValueError("Give both ends of the serial range, or neither.")
        if self.serial_from and self.serial_to:
            a, b = re.search(r"(\d+)$", self.serial_from), re.search(r"(\d+)$", self.serial_to)
            if a and b and self.serial_from[: a.start()] == self.serial_to[: b.start()]:
                span = int(b.group(1)) - int(a.group(1)) + 1
                if span != self.quantity:
                    raise ValueError(f"The serial range holds {span} stamps but the quantity is {self.quantity}.")
        return self


class StampIssueRead(BaseModel):
    id: int
    product_id: int
    certificate_id: int | None
    issued_on: date
    quantity: int
    stars: int
    serial_from: str | None
    serial_to: str | None
    note: str | None
    created_at: datetime


StampIssuePage = Page[StampIssueRead]


# ---- imports --------------------------------------------------------------------------------

class ImportRowResult(BaseModel):
    row: int
    outcome: Literal["create", "update", "unchanged", "error"]
    product: str | None = None
    producer: str | None = None
    errors: list[dict[str, str]] = []
    warnings: list[str] = []


class ImportJobRead(BaseModel):
    id: int
    kind: str
    filename: str
    size: int
    status: Literal["queued", "validating", "ready", "invalid", "committing", "committed", "failed"]
    total_rows: int
    processed_rows: int
    summary: dict[str, Any] | None
    rows: list[ImportRowResult] | None = None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    committed_at: datetime | None


ImportJobPage = Page[ImportJobRead]
