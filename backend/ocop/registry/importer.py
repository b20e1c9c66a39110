"""Reading the province's published OCOP lists (XLSX or CSV) and planning each row's outcome.

A plan is made against the database as it is; committing re-plans and applies every row in one
transaction, or none when any row has an error. Importing the same file twice changes nothing.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.core.config import get_settings
from ocop.core.dates import parse_date
from ocop.core.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from ocop.core.text import fold
from ocop.org.models import AdminUnit

from .models import Certificate, Producer, Product, ProductSet
from .schemas import stars_for_score, tax_code_problem

# canonical column -> accepted headers (folded; punctuation ignored)
ALIASES: dict[str, tuple[str, ...]] = {
    "no": ("stt", "no", "so tt", "so thu tu"),
    "product_name": ("ten san pham", "san pham", "product", "product name", "ten san pham ocop"),
    "producer_name": ("chu the", "ten chu the", "producer", "producer name", "chu the ocop", "ten chu the ocop",
                      "don vi san xuat"),
    "producer_kind": ("loai hinh", "loai hinh chu the", "producer type", "producer kind", "loai hinh to chuc"),
    "address": ("dia chi", "dia chi xa", "xa phuong", "xa", "address", "commune", "commune after 2025",
                "xa phuong sau 2025"),
    "district": ("huyen", "huyen thanh pho", "district", "district before 2025", "huyen truoc 2025"),
    "stars": ("hang sao", "so sao", "sao", "stars", "xep hang"),
    "score": ("diem", "score", "diem danh gia", "tong diem"),
    "decision_number": ("so quyet dinh", "quyet dinh", "decision", "decision number", "so qd"),
    "decision_date": ("ngay quyet dinh", "decision date", "ngay qd", "ngay cong nhan"),
    "product_set": ("bo san pham", "product set", "bo sp"),
    "tax_code": ("ma so thue", "mst", "tax code", "ma so thue chu the", "ma so thue so dinh danh",
                 "so dinh danh ca nhan", "ma so thue so dinh danh ca nhan"),
}
REQUIRED = ("product_name", "producer_name", "stars")
LABELS = {
    "product_name": "Tên sản phẩm", "producer_name": "Chủ thể", "producer_kind": "Loại hình chủ thể",
    "address": "Địa chỉ / xã", "district": "Huyện", "stars": "Hạng sao", "score": "Điểm",
    "decision_number": "Số quyết định", "decision_date": "Ngày quyết định", "product_set": "Bộ sản phẩm",
    "tax_code": "Mã số thuế",
}
KINDS = {
    "enterprise": "enterprise", "doanh nghiep": "enterprise", "cong ty": "enterprise", "dn": "enterprise",
    "cooperative": "cooperative", "hop tac xa": "cooperative", "htx": "cooperative",
    "cooperative group": "cooperative_group", "cooperative_group": "cooperative_group",
    "to hop tac": "cooperative_group", "tht": "cooperative_group",
    "household business": "household_business", "household_business": "household_business",
    "ho kinh doanh": "household_business", "ho san xuat kinh doanh": "household_business",
    "ho san xuat": "household_business", "ho gia dinh": "household_business", "co so": "household_business",
}
MAX_COLUMNS = 100  # columns of a sheet that are read at all (the published lists have about a dozen)
SUSPICIOUS_RATIO = 100  # a ZIP member unpacking to more than 100x its packed size is refused (Apache POI's rule)
SMALL_MEMBER = 1024 * 1024  # below this, any ratio is harmless
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 control characters but tab, newline, CR


def _norm_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


_HEADER_MAP = {alias: canon for canon, aliases in ALIASES.items() for alias in aliases}
_HEADER_MAP.update({c.replace("_", " "): c for c in ALIASES})


Rows = Generator[tuple[int, Sequence[Any]], None, None]  # (spreadsheet row number, cells)


@dataclass
class ParsedFile:
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Any]]]


def read_table(path: Path, filename: str, max_rows: int | None = None) -> ParsedFile:
    """Rows of an XLSX or CSV file as dicts keyed by canonical column; 4xx for what is not a list.

    The file is streamed: blank rows are skipped, only the header's columns are kept, and reading stops with a
    422 as soon as there are more than `max_rows` data rows (OCOP_IMPORT_MAX_ROWS), so a file cannot make the
    server hold more than that. Row numbers are the spreadsheet's own (blank rows counted)."""
    if max_rows is None:
        max_rows = get_settings().import_max_rows
    with path.open("rb") as fh:
        head = fh.read(8)
    source = _read_xlsx(path) if head.startswith(b"PK\x03\x04") else _read_csv(path)
    columns: dict[str, int] = {}
    rows: list[tuple[int, dict[str, Any]]] = []
    header_seen = False
    try:
        for n, values in source:
            if not any(v not in (None, "") for v in values):
                continue
            if not header_seen:
                header_seen = True
                columns = _header_columns(values)
                continue
            if len(rows) >= max_rows:
                most = f"{max_rows:,}".replace(",", ".")
                raise Unprocessable(
                    f"Tệp có hơn {most} dòng dữ liệu; mỗi lần chỉ nhập tối đa {most} dòng. Hãy chia danh sách "
                    f"thành nhiều tệp. (The file has more than {max_rows} data rows, the most accepted at once.)",
                    code="import_too_many_rows", max_rows=max_rows)
            rows.append((n, {c: _clean(values[i]) if i < len(values) else None for c, i in columns.items()}))
    finally:
        source.close()  # closes the workbook when reading stopped early
    if not header_seen:
        raise Unprocessable("The file is empty: it has no header row and no data rows.", code="import_empty")
    if not rows:
        raise Unprocessable("The file has a header but no data rows.", code="import_empty")
    return ParsedFile(columns=columns, rows=rows)


def _header_columns(header: Any) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        canon = _HEADER_MAP.get(_norm_header(str(name or "")[:200]))
        if canon and canon not in columns:
            columns[canon] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise Unprocessable(
            "Thiếu cột bắt buộc: " + ", ".join(LABELS[c] for c in missing)
            + ". The file must have the columns of the province's published list.",
            code="import_missing_columns", missing_columns=missing, missing_labels=[LABELS[c] for c in missing])
    return columns


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _check_zip(path: Path) -> None:
    """Refuse what is not a workbook, and zip bombs: the unpacked sizes are read from the archive's directory
    (zipfile never unpacks a member past its declared size) before anything is unpacked."""
    limit = get_settings().import_max_unpacked_bytes
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsupportedMediaType("The file is not a readable Excel workbook.", code="import_not_spreadsheet") from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UnsupportedMediaType("The file is a ZIP archive but not an Excel workbook (.xlsx).",
                                   code="import_not_spreadsheet")
    total = sum(i.file_size for i in infos)
    bomb = [i for i in infos if i.file_size > SMALL_MEMBER and i.file_size > SUSPICIOUS_RATIO * max(i.compress_size, 1)]
    if total > limit or bomb:
        raise PayloadTooLarge(
            f"Tệp Excel khi giải nén quá lớn hoặc bị nén bất thường (giới hạn {limit // (1024 * 1024)} MB sau khi "
            "giải nén); hãy lưu lại danh sách bằng Excel hoặc xuất ra CSV. (The workbook unpacks to more than the "
            "limit or is compressed abnormally.)",
            code="import_unpacked_too_large", max_unpacked_bytes=limit)


def _read_xlsx(path: Path) -> Rows:
    """The first sheet's rows, streamed (read-only mode), at most MAX_COLUMNS wide.

    The sheet's declared dimension is ignored: a tiny sheet declaring A1:XFD3000 would otherwise be padded to
    16,384 columns by 3,000 rows."""
    from openpyxl import load_workbook

    _check_zip(path)
    fh = path.open("rb")  # a file object: openpyxl refuses a path without the .xlsx suffix
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        fh.close()
        raise UnsupportedMediaType("The Excel workbook could not be read.", code="import_not_spreadsheet") from exc
    return _xlsx_rows(wb, fh)


def _xlsx_rows(wb: Any, fh: Any) -> Rows:
    from openpyxl.utils.escape import unescape

    try:
        if not wb.worksheets:
            return
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        rows = ws.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS, values_only=True)
        try:
            for n, row in enumerate(rows, start=1):
                # Excel writes characters XML cannot carry as _xHHHH_ (openpyxl leaves them so): decoded, a control
                # character is then refused like a CSV one, and a line break written as _x000D_ is one again
                yield n, tuple(unescape(v) if isinstance(v, str) and "_x" in v else v for v in row)
        except Exception as exc:  # damaged sheet XML
            raise UnsupportedMediaType("The Excel workbook could not be read.", code="import_not_spreadsheet") \
                from exc
    finally:
        wb.close()
        fh.close()


def _read_csv(path: Path) -> Rows:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise UnsupportedMediaType("The file is neither an Excel workbook (.xlsx) nor a CSV text file.",
                                   code="import_not_spreadsheet")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedMediaType("The CSV file is not UTF-8 text; save it as 'CSV UTF-8' and try again.",
                                   code="import_not_spreadsheet") from exc
    del data
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return _csv_rows(text, dialect)


def _csv_rows(text: str, dialect: Any) -> Rows:
    reader = csv.reader(io.StringIO(text), dialect)
    first = True
    try:
        for n, row in enumerate(reader, start=1):
            if first and any(row):
                first = False
                if len(row) < 2:
                    raise UnsupportedMediaType("The file does not look like a table (one column only).",
                                               code="import_not_spreadsheet")
            yield n, row
    except csv.Error as exc:
        raise UnsupportedMediaType(f"The CSV file could not be read: {exc}.", code="import_not_spreadsheet") from exc


def control_characters(value: Any) -> str | None:
    """The first C0 control character (tab, newline and carriage return aside) in a text cell, as U+XXXX."""
    if isinstance(value, str):
        found = _CONTROL.search(value)
        if found:
            return f"U+{ord(found.group()):04X}"
    return None


# ---- planning -------------------------------------------------------------------------------

@dataclass
class RowPlan:
    row: int
    outcome: str = "unchanged"
    product: str | None = None
    producer: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # resolved values
    producer_id: int | None = None
    producer_kind: str | None = None
    tax_code: str | None = None
    producer_update: dict[str, Any] = field(default_factory=dict)
    unit_id: int | None = None
    product_id: int | None = None
    product_set_id: int | None = None
    product_update: dict[str, Any] = field(default_factory=dict)
    stars: int | None = None
    score: float | None = None
    decision_number: str | None = None
    decision_date: date | None = None
    certificate_action: str | None = None  # create / update
    certificate_id: int | None = None
    certificate_update: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": LABELS.get(column, column), "message": message})

    def result(self) -> dict[str, Any]:
        return {"row": self.row, "outcome": "error" if self.errors else self.outcome, "product": self.product,
                "producer": self.producer, "errors": self.errors, "warnings": self.warnings}


def _kind(value: Any, producer_name: str) -> tuple[str | None, str | None]:
    if value:
        kind = KINDS.get(_norm_header(str(value)))
        if kind:
            return kind, None
        return None, f"Loại hình chủ thể '{value}' không hợp lệ (doanh nghiệp, hợp tác xã, tổ hợp tác, hộ kinh doanh)."
    name = fold(producer_name)
    for prefix, kind in (("htx", "cooperative"), ("hop tac xa", "cooperative"), ("cong ty", "enterprise"),
                         ("ctcp", "enterprise"), ("cty", "enterprise"), ("doanh nghiep", "enterprise"),
                         ("chi nhanh", "enterprise"), ("to hop tac", "cooperative_group"),
                         ("ho kinh doanh", "household_business"), ("co so", "household_business"),
                         ("ho ", "household_business")):
        if name.startswith(prefix):
            return kind, None
    return "household_business", "inferred"


class Planner:
    def __init__(self, session: Session) -> None:
        self.session = session
        units = session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.search_name), col(AdminUnit.valid_to)))
        self.units: dict[str, list[tuple[int, date | None]]] = {}
        for uid, name, valid_to in units:
            self.units.setdefault(name, []).append((uid, valid_to))
        sets = session.execute(sa.select(col(ProductSet.id), col(ProductSet.number), col(ProductSet.search_name)))
        self.sets_by_number: dict[int, int] = {}
        self.sets_by_name: dict[str, int] = {}
        for sid, number, name in sets:
            self.sets_by_number.setdefault(number, sid)
            self.sets_by_name.setdefault(name, sid)

    def _unit(self, text: Any) -> int | None:
        if not text:
            return None
        key = fold(str(text))
        matches = self.units.get(key)
        if not matches:
            for prefix in ("xa ", "phuong ", "huyen ", "thanh pho ", "thi tran "):
                if key.startswith(prefix):
                    break
            else:
                for prefix in ("xa ", "phuong ", "huyen ", "thanh pho "):
                    matches = self.units.get(prefix + key)
                    if matches:
                        break
        if not matches:
            for name, found in self.units.items():  # "Thôn A, xã B" style addresses
                if len(name) > 6 and re.search(rf"(^|[ ,]){re.escape(name)}($|[ ,])", key):
                    matches = found
                    break
        if not matches:
            return None
        current = [u for u, valid_to in matches if valid_to is None]
        return (current or [matches[0][0]])[0]

    def plan(self, rows: list[tuple[int, dict[str, Any]]], progress: Any = None) -> list[RowPlan]:
        """Each row's outcome. `progress(n)` is told how many rows are checked, every 500 rows."""
        seen: dict[tuple[str, str], int] = {}
        parsed: list[RowPlan] = []
        for i, (n, values) in enumerate(rows, start=1):
            parsed.append(self._parse(n, values))
            if progress and i % 500 == 0 and i < len(rows):
                progress(i)
        self._resolve(parsed)
        for p in parsed:
            if not p.errors and p.product and p.producer:
                key = (fold(p.producer), fold(p.product))
                if key in seen:
                    p.error("product_name", f"Trùng với dòng {seen[key]} (cùng sản phẩm và chủ thể).")
                else:
                    seen[key] = p.row
        return parsed

    def _parse(self, n: int, v: dict[str, Any]) -> RowPlan:
        bad = {c: code for c, value in v.items() if (code := control_characters(value))}
        if bad:  # the row is refused; the rest is checked (and shown) without those characters
            v = {c: _CONTROL.sub("", value) if c in bad else value for c, value in v.items()}
        p = RowPlan(row=n, product=_text(v.get("product_name")), producer=_text(v.get("producer_name")))
        for c, code in bad.items():
            p.error(c, f"Ô có ký tự điều khiển không hợp lệ ({code}); hãy xóa ký tự này trong tệp rồi tải lên lại.")
        if not p.product:
            p.error("product_name", "Thiếu tên sản phẩm.")
        if not p.producer:
            p.error("producer_name", "Thiếu tên chủ thể (doanh nghiệp, hợp tác xã, hộ kinh doanh...) của sản phẩm.")
        else:
            kind, note = _kind(v.get("producer_kind"), p.producer)
            if kind is None:
                p.error("producer_kind", note or "")
            elif note == "inferred":
                p.warnings.append("Không ghi loại hình chủ thể; tạm xác định là hộ kinh doanh.")
            p.producer_kind = kind
        p.tax_code = _tax_code_cell(v.get("tax_code"))
        if p.tax_code and p.producer_kind and (problem := tax_code_problem(p.tax_code, p.producer_kind)):
            p.error("tax_code", problem)
        p.unit_id = self._unit(v.get("address")) or self._unit(v.get("district"))
        if p.unit_id is None:
            where = v.get("address") or v.get("district")
            p.error("address", f"Không tìm thấy đơn vị hành chính '{where}'." if where
                    else "Thiếu địa chỉ hoặc xã/huyện của chủ thể.")
        stars = v.get("stars")
        if stars not in (None, ""):
            try:
                p.stars = int(float(str(stars).replace(",", ".").replace("★", "").replace("sao", "").strip()))
            except ValueError:
                p.error("stars", f"Hạng sao '{stars}' không phải là số.")
            else:
                if not 3 <= p.stars <= 5:
                    p.error("stars", f"Hạng sao phải từ 3 đến 5 (sản phẩm dưới 3 sao không được công nhận), "
                                     f"không phải {p.stars}.")
        score = v.get("score")
        if score not in (None, ""):
            try:
                p.score = float(str(score).replace(",", "."))
            except ValueError:
                p.error("score", f"Điểm '{score}' không phải là số.")
            else:
                if not 0 <= p.score <= 100:
                    p.error("score", "Điểm phải từ 0 đến 100.")
                elif p.stars and stars_for_score(p.score) != p.stars:
                    band = stars_for_score(p.score)
                    p.error("stars", f"Hạng sao {p.stars} không khớp với điểm {p.score:g} "
                                     f"(tương ứng {band} sao)." if band else
                            f"Điểm {p.score:g} dưới 50 không đủ để công nhận {p.stars} sao.")
        p.decision_number = _text(v.get("decision_number"))
        try:
            p.decision_date = parse_date(v.get("decision_date"))
        except ValueError:
            p.error("decision_date", f"Ngày quyết định '{v.get('decision_date')}' không đúng định dạng "
                                     "(ngày/tháng/năm, ví dụ 31/12/2025).")
        if p.decision_date and not p.stars:
            p.error("stars", "Có quyết định công nhận nhưng thiếu hạng sao.")
        if p.stars and not p.decision_date and not p.errors:
            p.warnings.append("Chưa có ngày quyết định công nhận nên chưa ghi giấy chứng nhận.")
        if p.stars is None and not p.errors:
            p.warnings.append("Không có hạng sao: chỉ ghi chủ thể và sản phẩm.")
        ps = v.get("product_set")
        if ps not in (None, ""):
            sid: int | None
            try:
                sid = self.sets_by_number.get(int(float(str(ps))))
            except ValueError:
                sid = self.sets_by_name.get(fold(str(ps)))
            if sid is None:
                p.error("product_set", f"Bộ sản phẩm '{ps}' không có trong danh mục (số 1–26 hoặc tên bộ).")
            p.product_set_id = sid
        return p

    def _resolve(self, plans: list[RowPlan]) -> None:
        """Match producers, products and certificates in the database (in batches, no query per row)."""
        names = {fold(p.producer) for p in plans if p.producer}
        producers: dict[str, list[tuple[int, str, int | None, str | None]]] = {}
        for chunk in _chunks(sorted(names), 500):
            for pid, sname, kind, unit, tax in self.session.execute(
                    sa.select(col(Producer.id), col(Producer.search_name), col(Producer.kind),
                              col(Producer.admin_unit_id), col(Producer.tax_code))
                    .where(col(Producer.search_name).in_(chunk))):
                producers.setdefault(sname, []).append((pid, kind, unit, tax))
        codes = sorted({p.tax_code for p in plans if p.tax_code and not p.errors})
        holders: dict[str, int] = {}  # tax code -> the producer holding it (unique)
        for chunk in _chunks(codes, 500):
            for pid, tax in self.session.execute(
                    sa.select(col(Producer.id), col(Producer.tax_code)).where(col(Producer.tax_code).in_(chunk))):
                holders[tax] = pid
        in_file: dict[str, tuple[Any, int]] = {}  # tax code -> (producer key, first row)
        codes_of: dict[Any, tuple[str, int]] = {}  # producer key -> (tax code, first row)
        for p in plans:
            if p.producer and p.producer_kind:
                found = producers.get(fold(p.producer), [])
                same_unit = [f for f in found if f[2] == p.unit_id]
                match = (same_unit or found)[0] if (same_unit or found) else None
                kind_changes = False
                if match:
                    p.producer_id = match[0]
                    if match[1] != p.producer_kind and not any("tạm xác định" in w for w in p.warnings):
                        p.producer_update["kind"] = p.producer_kind
                        kind_changes = True
                    if p.tax_code and p.tax_code != match[3]:
                        p.producer_update["tax_code"] = p.tax_code
                    elif not p.tax_code and kind_changes and match[3]:
                        problem = tax_code_problem(match[3], p.producer_kind)
                        if problem:
                            p.error("producer_kind", f"Chủ thể đang có mã số thuế {match[3]}. {problem}")
                if p.tax_code and not p.errors:
                    holder = holders.get(p.tax_code)
                    if holder is not None and holder != p.producer_id:
                        p.error("tax_code", f"Mã số thuế {p.tax_code} đã thuộc một chủ thể khác trong sổ.")
                    key = ("id", p.producer_id) if p.producer_id else (fold(p.producer), p.unit_id)
                    first = in_file.setdefault(p.tax_code, (key, p.row))
                    if first[0] != key and not p.errors:
                        p.error("tax_code", f"Mã số thuế {p.tax_code} trùng với chủ thể khác ở dòng {first[1]}.")
                    code_row = codes_of.setdefault(key, (p.tax_code, p.row))
                    if code_row[0] != p.tax_code and not p.errors:
                        p.error("tax_code", f"Chủ thể này có mã số thuế {code_row[0]} ở dòng {code_row[1]}, "
                                            f"khác với {p.tax_code}.")
        ids = sorted({p.producer_id for p in plans if p.producer_id})
        products: dict[tuple[int, str], tuple[int, int | None]] = {}
        for chunk in _chunks(ids, 500):
            for pid, producer_id, sname, set_id in self.session.execute(
                    sa.select(col(Product.id), col(Product.producer_id), col(Product.search_name),
                              col(Product.product_set_id)).where(col(Product.producer_id).in_(chunk))):
                products[(producer_id, sname)] = (pid, set_id)
        for p in plans:
            if p.producer_id and p.product:
                found_product = products.get((p.producer_id, fold(p.product)))
                if found_product:
                    p.product_id = found_product[0]
                    if p.product_set_id and p.product_set_id != found_product[1]:
                        p.product_update["product_set_id"] = p.product_set_id
        pids = sorted({p.product_id for p in plans if p.product_id})
        certs: dict[int, list[tuple[int, date, int, float | None, str | None]]] = {}
        for chunk in _chunks(pids, 500):
            for cid, product_id, ddate, stars, score, number in self.session.execute(
                    sa.select(col(Certificate.id), col(Certificate.product_id), col(Certificate.decision_date),
                              col(Certificate.stars), col(Certificate.score), col(Certificate.decision_number))
                    .where(col(Certificate.product_id).in_(chunk))):
                certs.setdefault(product_id, []).append((cid, ddate, stars, score, number))
        for p in plans:
            if p.errors:
                continue
            if p.decision_date and p.stars:
                existing = certs.get(p.product_id or -1, [])
                same = [c for c in existing if c[1] == p.decision_date]
                if same:
                    cid, _, stars, score, number = same[0]
                    changes: dict[str, Any] = {}
                    if stars != p.stars:
                        changes["stars"] = p.stars
                    if p.score is not None and (score is None or abs(float(score) - p.score) > 1e-6):
                        changes["score"] = p.score
                    if p.decision_number and p.decision_number != number:
                        changes["decision_number"] = p.decision_number
                    if changes:
                        p.certificate_action, p.certificate_id, p.certificate_update = "update", cid, changes
                elif existing and max(c[1] for c in existing) > p.decision_date:
                    p.warnings.append("Sản phẩm đã có giấy chứng nhận mới hơn; bỏ qua quyết định cũ này.")
                else:
                    p.certificate_action = "create"
            if p.producer_id is None or p.product_id is None or p.certificate_action == "create":
                p.outcome = "create"
            elif p.producer_update or p.product_update or p.certificate_action == "update":
                p.outcome = "update"
            else:
                p.outcome = "unchanged"


def _tax_code_cell(value: Any) -> str | None:
    """The tax code as written; a number cell (a spreadsheet drops leading zeros) gets them back."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        digits = str(int(value))
        return digits.zfill(10) if len(digits) <= 10 else digits.zfill(12)
    return re.sub(r"\s+", "", str(value)) or None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def _chunks(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i:i + n] for i in range(0, len(items), n)]


def summary(plans: list[RowPlan]) -> dict[str, int]:
    out = {"total": len(plans), "create": 0, "update": 0, "unchanged": 0, "error": 0}
    for p in plans:
        out["error" if p.errors else p.outcome] += 1
    return out

