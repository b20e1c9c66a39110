"""Document rendering, the one module that knows the libraries: Word templates (DOCX with Jinja tags, filled by
docxtpl over python-docx) and PDF through LibreOffice where it is installed (looked for at run time).

Templates an administrator uploads run in Jinja's sandbox with autoescaping, so a template can neither reach
Python objects nor break the document's XML with the data's '&' and '<', and within limits (`DocumentSandbox`), so
that `{{ 'x' * 10**9 }}` or a loop of loops is refused at once instead of filling the server's memory."""
from __future__ import annotations

import contextlib
import functools
import inspect
import io
import os
import re
import shutil
import signal
import string
import subprocess
import tempfile
import threading
import time
import types
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.nodes import EvalContext
from jinja2.runtime import Macro, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from ocop.core.config import get_settings
from ocop.core.text import xml_safe

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
LANGUAGE = "vi-VN"  # every document is Vietnamese: Word checks its spelling as such
_pdf_lock = threading.Semaphore(1)  # one conversion at a time: LibreOffice is heavy on a 2-core machine


class TemplateError(Exception):
    """The template is not a Word document or its tags do not render."""


class PdfUnavailable(Exception):
    """LibreOffice is not installed here (or failed)."""


class TemplateTooCostly(TemplateError):
    """The template asks for more work or output than any document needs (a value or the document too large, too
    many loop turns, too long)."""


class TemplateUnsafe(TemplateError):
    """The template reaches for what a template may not (Python internals, unsafe calls)."""


# What one rendering may cost. A real document (a province's year of findings in the report) stays far below.
MAX_VALUE = 1_000_000         # characters (or items) one value may come to
MAX_OUTPUT = 20_000_000       # characters of XML one document may come to, every part and block counted
MAX_ITERATIONS = 250_000      # loop turns and calls in one document (the largest report: a few thousand)
MAX_RANGE = 10_000            # items of one range()
MAX_WIDTH = 10_000            # padding widths and precisions in format specifications
MAX_INT_BITS = 10_000         # integers up to about 3,000 digits
MAX_SECONDS = 10.0            # wall time of one rendering
MAX_UNPACKED = 64 * 1024 * 1024  # what a template's ZIP package may unpack to


class _Budget:
    __slots__ = ("deadline", "output", "work")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.output = 0
        self.work = 0


_budget: ContextVar[_Budget | None] = ContextVar("ocop_template_budget", default=None)


def _too_costly(what: str) -> TemplateTooCostly:
    return TemplateTooCostly(f"The template asks for too much: {what}.")


def _tick(work: int = 0) -> None:
    b = _budget.get()
    if b is None:
        return
    b.work += work
    if b.work > MAX_ITERATIONS:
        raise _too_costly(f"more than {MAX_ITERATIONS:,} loop turns or calls")
    if time.monotonic() > b.deadline:
        raise _too_costly(f"rendering took longer than {MAX_SECONDS:g} seconds")


def _weight(value: Any, limit: int = MAX_VALUE) -> int:
    """How many characters or items a value comes to when written out (shared parts counted each time they
    appear), counted up to just past `limit`."""
    total, stack = 0, [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (str, bytes)):
            total += len(v)
        elif isinstance(v, dict):
            total += len(v)
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += len(v)
            stack.extend(v)
        elif isinstance(v, range):
            total += len(v)
        else:
            total += 1
        if total > limit:
            break
    return total


def _check_size(size: int) -> None:
    if size > MAX_VALUE:
        raise _too_costly(f"a value of more than {MAX_VALUE:,} characters or items")


def _checked(result: Any) -> Any:
    if isinstance(result, (str, bytes, list, tuple, dict, set, frozenset)):
        _check_size(_weight(result))
    return result


_PRINTF = re.compile(r"%[#0 +\-]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")


def _check_printf(fmt: str, args: Any) -> None:
    """`'%s' % x` and the `format` filter: widths within reason, the result bounded."""
    fields = 0
    for width, precision, _conv in _PRINTF.findall(fmt):
        if "*" in (width, precision):
            raise _too_costly("a '*' width in a % format")
        if int(width or 0) > MAX_WIDTH or int(precision or 0) > MAX_WIDTH:
            raise _too_costly(f"a % format wider than {MAX_WIDTH:,}")
        fields += 1
    _check_size(len(fmt) + fields * (_weight(args) + MAX_WIDTH))


def _check_str_format(fmt: str, args: Any) -> None:
    """`'{:>9}'.format(x)`: widths within reason, no nested fields, the result bounded."""
    fields = 0
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format will refuse it itself
    for _literal, field, spec, _conv in parsed:
        if field is None:
            continue
        fields += 1
        if spec and ("{" in spec or any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
            raise _too_costly(f"a format specification wider than {MAX_WIDTH:,} or nested")
    _check_size(len(fmt) + fields * (_weight(args) + MAX_WIDTH))


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], i: int, name: str, default: Any) -> Any:
    return args[i] if len(args) > i else kwargs.get(name, default)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _str_method_bound(s: str | bytes, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(len(s), _int(_arg(args, kwargs, 0, "width", 0)))
    if name == "expandtabs":
        tab = "\t" if isinstance(s, str) else b"\t"
        return len(s) + s.count(tab) * max(_int(_arg(args, kwargs, 0, "tabsize", 8)), 0)  # type: ignore[arg-type]
    if name == "replace":
        old, new = _arg(args, kwargs, 0, "old", ""), _arg(args, kwargs, 1, "new", "")
        times = s.count(old) if old else len(s) + 1
        count = _int(_arg(args, kwargs, 2, "count", -1))
        times = min(times, count) if count >= 0 else times
        return len(s) + times * max(len(new) - len(old), 0)
    if name == "translate":
        table = args[0] if args else None
        longest = max((len(v) for v in table.values() if isinstance(v, (str, bytes))), default=1) \
            if isinstance(table, dict) else 1
        return len(s) * max(longest, 1)
    return len(s)


_STR_AMPLIFIERS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "replace", "translate", "join"})


def _guard_method(value: Any) -> Any:
    """Methods of strings that can make a string far larger than themselves, bounded before they run."""
    owner = getattr(value, "__self__", None)
    if not (isinstance(value, types.BuiltinMethodType) and isinstance(owner, (str, bytes))
            and value.__name__ in _STR_AMPLIFIERS):
        return value
    name = value.__name__

    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick(1)
        if name == "join":
            items = list(args[0]) if args else []
            _check_size(_weight(items) + len(owner) * len(items))
            return _checked(value(items))
        _check_size(_str_method_bound(owner, name, args, kwargs))
        return _checked(value(*args, **kwargs))

    return guarded


def _filter_join(arguments: dict[str, Any]) -> int:
    value = arguments["value"]
    if not isinstance(value, (list, tuple, str)):
        value = arguments["value"] = list(value)
    return _weight(value) + len(str(arguments.get("d") or "")) * len(value)


def _filter_indent(arguments: dict[str, Any]) -> int:
    s, width = str(arguments["s"]), arguments.get("width", 4)
    per_line = len(width) if isinstance(width, str) else _int(width)
    return len(s) + (s.count("\n") + 1) * per_line


def _filter_sum(arguments: dict[str, Any]) -> int:
    if not isinstance(arguments.get("start", 0), (int, float)):
        raise _too_costly("sum() of sequences")
    return 0


def _filter_format(arguments: dict[str, Any]) -> int:
    _check_printf(str(arguments["value"]), (arguments.get("args"), arguments.get("kwargs")))
    return 0


# Filters whose arguments, not their input, decide how large the result gets: an upper bound before they run.
_FILTER_BOUNDS: dict[str, Callable[[dict[str, Any]], int]] = {
    "center": lambda a: max(len(str(a["value"])), _int(a.get("width", 80))),
    "indent": _filter_indent,
    "batch": lambda a: _weight(a["value"]) + _int(a.get("linecount", 0)),
    "slice": lambda a: _weight(a["value"]) + _int(a.get("slices", 0)),
    "replace": lambda a: _str_method_bound(str(a["s"]), "replace", (a.get("old", ""), a.get("new", ""),
                                                                     a.get("count") or -1), {}),
    "join": _filter_join,
    "tojson": lambda a: _weight(a["value"]) * (2 + _int(a.get("indent") or 0)),
    "sum": _filter_sum,
    "format": _filter_format,
    "wordwrap": lambda a: len(str(a["s"])) * (1 + len(str(a.get("wrapstring") or "\n"))),
}


def _guard_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    bound = _FILTER_BOUNDS.get(name)
    signature = inspect.signature(fn) if bound is not None else None

    @functools.wraps(fn)  # keeps jinja_pass_arg (context, eval context, environment)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick(1)
        _check_size(_weight((args, kwargs)))
        if signature is not None and bound is not None:
            try:
                ba = signature.bind(*args, **kwargs)
            except TypeError:
                return fn(*args, **kwargs)  # the filter says what is wrong with its arguments
            ba.apply_defaults()
            _check_size(bound(ba.arguments))
            args, kwargs = ba.args, ba.kwargs
        return _checked(fn(*args, **kwargs))

    return guarded


def _range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise _too_costly(f"a range of more than {MAX_RANGE:,} items")
    return rng


def _loop(iterable: Any) -> Iterator[Any]:
    """Every `for` of a template iterates through here: each turn counts."""
    for item in iterable:
        _tick(1)
        yield item


@jinja2.pass_eval_context
def _concat(eval_ctx: EvalContext, items: list[Any]) -> str:
    """The `~` operator, bounded before the parts are turned into text."""
    _tick()
    _check_size(_weight(items))
    return markup_join(items) if eval_ctx.autoescape else str_join(items)


def _finalize(value: Any) -> Any:
    """Every `{{ … }}`: the value is bounded before it is turned into text, and holds only what XML may."""
    _tick()
    _check_size(_weight(value))
    return xml_safe(value) if isinstance(value, str) else value


def _join_output(parts: Iterable[str]) -> str:
    """What a template (or a macro, a block) writes, counted as it is written."""
    b = _budget.get()
    out: list[str] = []
    pieces: list[str] = []  # many small parts are joined as they come: a list of a million strings is large
    for part in parts:
        if b is not None:
            b.output += len(part)
            if b.output > MAX_OUTPUT:
                raise _too_costly(f"a document of more than {MAX_OUTPUT:,} characters")
        pieces.append(part)
        if len(pieces) >= 1024:
            out.append("".join(pieces))
            pieces.clear()
    if b is not None and time.monotonic() > b.deadline:
        raise _too_costly(f"rendering took longer than {MAX_SECONDS:g} seconds")
    return "".join(out) + "".join(pieces)


class _Bounded(NodeTransformer):
    """Loops iterate through `_loop`, `~` joins through `_concat`: both are counted and bounded."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "ocop_loop", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "ocop_concat", [], [], None, None,
                            lineno=node.lineno)


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame: Any = None) -> None:
        super().visit_Template(_Bounded().visit(node), frame)


class _Undefined(jinja2.Undefined):
    """A missing value prints as nothing (a template is checked without data), but an attribute the sandbox
    refused is an error wherever it is used, not a quiet blank."""

    __slots__ = ()

    def _refused(self) -> bool:
        return self._undefined_exception is jinja2.exceptions.SecurityError

    def __str__(self) -> str:
        if self._refused():
            self._fail_with_undefined_error()
        return super().__str__()

    def __bool__(self) -> bool:
        if self._refused():
            self._fail_with_undefined_error()
        return super().__bool__()

    def __iter__(self) -> Iterator[Any]:
        if self._refused():
            self._fail_with_undefined_error()
        return super().__iter__()


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (no internals, no changing the data) with limits on what a template may make: values,
    loop turns, calls, output and time. Every operator that can make a value much larger than its operands
    (`*`, `**`, `+`, `%`, `~`), every filter and every string method that can, is bounded before it runs."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(finalize=_finalize, undefined=_Undefined, **kwargs)
        self.concat = _join_output  # type: ignore[assignment]
        self.globals.pop("lipsum", None)
        self.globals["range"] = _range
        self.filters = {name: _guard_filter(name, fn) for name, fn in self.filters.items()}
        self.filters["ocop_loop"] = _loop
        self.filters["ocop_concat"] = _concat

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int):
                    _check_size(_weight(seq) * max(n, 0))
            if isinstance(left, int) and isinstance(right, int) \
                    and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _too_costly(f"a number of more than {MAX_INT_BITS:,} bits")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0 \
                    and left.bit_length() * right > MAX_INT_BITS:
                raise _too_costly(f"a number of more than {MAX_INT_BITS:,} bits")
        elif operator == "+":
            if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
                _check_size(_weight(left) + _weight(right))
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
        try:
            return _checked(super().call_binop(context, operator, left, right))
        except OverflowError as exc:
            raise _too_costly("a number too large") from exc

    def call(self_, context_: Any, obj_: Any, /, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _tick(8 if isinstance(obj_, Macro) else 1)  # a macro call costs as much as a few loop turns
        return super().call(context_, obj_, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        return _guard_method(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _guard_method(super().getitem(obj, argument))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        def guarded(*args: Any, **kwargs: Any) -> str:
            _tick(1)
            _check_str_format(fmt, (args, kwargs))
            return _checked(wrapped(*args, **kwargs))  # type: ignore[no-any-return]

        return guarded


def check_docx(data: bytes) -> None:
    """A Word document: a ZIP package with word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as exc:
        raise TemplateError("The file is not a Word document (.docx).") from exc
    if unpacked > MAX_UNPACKED:
        raise TemplateTooCostly(f"The Word document unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB.")
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise TemplateError("The file is not a Word document (.docx): word/document.xml is missing.")


# ---- the masthead's names: broken at a phrase boundary, never inside a word --------------------------------------

_GLYPHS = " ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.-()/&:;"


def _advances(widths: str) -> dict[str, int]:
    return dict(zip(_GLYPHS, map(int, widths.split()), strict=True))


def _phrases(words: str) -> frozenset[str]:
    return frozenset(words.split("|"))


# Advance widths of Times New Roman in thousandths of an em (Liberation Serif, its metric twin, measured): regular
# and bold. A Vietnamese letter is as wide as its base letter; the horn (Ơ, Ư) adds a little.
_ADVANCE = {
    False: _advances(
        "250 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 "
        "444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 "
        "500 500 500 500 500 500 500 500 500 500 250 250 333 333 333 278 778 278 278"),
    True: _advances(
        "250 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 "
        "500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 "
        "500 500 500 500 500 500 500 500 500 500 250 250 333 333 333 278 833 333 333"),
}
_HORN = "\u031b"
# Two-syllable words of agencies' names: a line never ends between their syllables ("PHÁT / TRIỂN").
_COMPOUNDS = _phrases(
    "NÔNG NGHIỆP|PHÁT TRIỂN|NÔNG THÔN|MÔI TRƯỜNG|NHÂN DÂN|ỦY BAN|UỶ BAN|CHI CỤC|TRUNG TÂM|VĂN PHÒNG|KHOA HỌC|"
    "CÔNG NGHỆ|CÔNG THƯƠNG|Y TẾ|TÀI NGUYÊN|KẾ HOẠCH|ĐẦU TƯ|TÀI CHÍNH|THỦY SẢN|THUỶ SẢN|LÂM NGHIỆP|CHĂN NUÔI|THÚ Y|"
    "TRỒNG TRỌT|BẢO VỆ|THỰC VẬT|CHẤT LƯỢNG|NÔNG LÂM|QUẢN LÝ|THÀNH PHỐ|THỊ XÃ|THỊ TRẤN|KIỂM LÂM|KHUYẾN NÔNG|"
    "THỦY LỢI|THUỶ LỢI|PHÒNG CHỐNG|THIÊN TAI|XÂY DỰNG|GIAO THÔNG|VẬN TẢI|VĂN HÓA|VĂN HOÁ|THỂ THAO|DU LỊCH|"
    "GIÁO DỤC|ĐÀO TẠO|NỘI VỤ|TƯ PHÁP|THÔNG TIN|TRUYỀN THÔNG|LAO ĐỘNG|THƯƠNG BINH|XÃ HỘI|DÂN TỘC|TÔN GIÁO|"
    "NGOẠI VỤ|THANH TRA|HÀNH CHÍNH|SỰ NGHIỆP|DỊCH VỤ|HỖ TRỢ|ĐIỀU PHỐI|CHƯƠNG TRÌNH|HỢP TÁC|KINH TẾ|HẠ TẦNG|"
    "ĐÔ THỊ|NÔNG SẢN|THỰC PHẨM|AN TOÀN|VỆ SINH|TIÊU CHUẨN|ĐO LƯỜNG|CHÍNH PHỦ|HỘI ĐỒNG|ĐÁNH GIÁ|PHÂN HẠNG|"
    "SẢN PHẨM|ĐỊA CHÍNH|BỘ PHẬN|LẠNG SƠN|CAO BẰNG|HÀ NỘI|ĐẶC KHU")
# Where a new line reads well: before the head of a name ("ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN").
_HEADS = _phrases("SỞ|CHI|CỤC|PHÒNG|TRUNG|BAN|VĂN|VỤ|TỈNH|HUYỆN|THÀNH|THỊ|XÃ|PHƯỜNG|ĐẶC|BỘ")


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """How wide a line of Times New Roman is, in millimetres."""
    advance = _ADVANCE[bold]
    total = 0
    for ch in str(text):
        parts = unicodedata.normalize("NFD", ch)
        base = "D" if ch == "Đ" else "d" if ch == "đ" else parts[0]
        total += advance.get(base, advance["N"] if base.isupper() else advance["n"])
        if _HORN in parts:
            total += 74 if base.isupper() else 54
    return total / 1000 * size_pt * 25.4 / 72


def _break_cost(before: list[str], after: list[str]) -> int:
    last, first = before[-1].upper(), after[0].upper()
    if f"{last} {first}" in _COMPOUNDS:
        return 100  # inside a word: only when nothing else fits
    if last == "VÀ" or first in _HEADS:
        return 0   # "SỞ NÔNG NGHIỆP VÀ / PHÁT TRIỂN NÔNG THÔN"
    return 1 if first == "VÀ" else 3


def masthead_lines(value: Any, size: float = 13, bold: bool = False, width_mm: float = 76) -> str:
    """A name of the masthead as it is set in a column `width_mm` wide: whole when it fits, else broken (a line
    break) where a phrase ends, never between the syllables of a word, the lines as even as they can be. The
    template writes `{{ agency|masthead_lines(12, true) }}`."""
    text = "" if value is None or isinstance(value, jinja2.Undefined) else str(value)
    out = []
    for line in text.split("\n"):
        words = line.split()
        if not words or text_width_mm(" ".join(words), size, bold) <= width_mm:
            out.append(" ".join(words))
            continue
        # the best way to set words[start:], found from the end: fewest breaks inside a word, then fewest lines,
        # then the best places, then the narrowest widest line
        best: dict[int, tuple[tuple[int, int, int, float], list[str]]] = {len(words): ((0, 0, 0, 0.0), [])}
        for start in range(len(words) - 1, -1, -1):
            options = []
            for end in range(start + 1, len(words) + 1):
                head = " ".join(words[start:end])
                width = text_width_mm(head, size, bold)
                if width > width_mm and end > start + 1:
                    break
                (inside, lines, cost, widest), rest = best[end]
                if end < len(words):
                    here = _break_cost(words[start:end], words[end:])
                    inside, cost = (inside + 1, cost) if here >= 100 else (inside, cost + here)
                options.append(((inside, lines + 1, cost, max(widest, width)), [head, *rest]))
            best[start] = min(options, key=lambda o: o[0])
        out.extend(best[0][1])
    return "\n".join(out)


def _environment() -> jinja2.Environment:
    env = DocumentSandbox(autoescape=True, trim_blocks=False)
    env.filters["upper_vi"] = _guard_filter("upper_vi", lambda s: (s or "").upper())
    env.filters["masthead_lines"] = _guard_filter("masthead_lines", masthead_lines)
    return env


# ---- what the file says of itself: language, author, title, dates --------------------------------------------------

def _frame_value(context: dict[str, Any], key: str) -> tuple[Any, int]:
    """A value of the document's frame and how many documents the file holds: at the top of the context (a plan, a
    report, minutes), or in each document of a list (the notices, one per unit)."""
    if context.get(key) is not None:
        return context[key], 1
    for value in context.values():
        if isinstance(value, list) and value and isinstance(value[0], dict) and key in value[0]:
            return value[0][key], len(value)
    return None, 0


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _one_line(value: Any) -> str:
    """On one line, without the characters XML cannot carry (a control character in a stored title)."""
    return " ".join(_NOT_XML.sub("", str(value)).split()) if value is not None else ""


_LANG_VALUE = re.compile(rb'(<w:lang\b[^>]*?\bw:val=")[^"]*"')


def _vietnamese(doc: DocumentType) -> None:
    """vi-VN as the language of the defaults, of Normal and of every run that names one (a template written in Word
    set to English carries en-US), so that Word does not mark every word as misspelt."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    holders = [run_defaults]
    normal = next((st for st in styles.iterfind(qn("w:style")) if st.get(qn("w:type")) == "paragraph"
                   and st.get(qn("w:default")) in ("1", "true", "on")), None)
    if normal is not None:
        holders.append(normal)
    for holder in holders:
        rpr = holder.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            holder.append(rpr)  # last in a style and the only child of rPrDefault, as the schema has it
        if rpr.find(qn("w:lang")) is None:
            rpr.append(OxmlElement("w:lang"))
    for part in doc.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            for lang in element.iter(qn("w:lang")):
                lang.set(qn("w:val"), LANGUAGE)
        elif part.content_type.endswith("+xml") and b"<w:lang" in part.blob:
            # parts python-docx keeps as bytes (stylesWithEffects, read by Word 2010)
            part._blob = _LANG_VALUE.sub(rb"\g<1>" + LANGUAGE.encode() + rb'"', part.blob)  # type: ignore[attr-defined]


def _describe(doc: DocumentType, context: dict[str, Any], author: str | None, title: str | None,
              when: date | datetime | None) -> None:
    """The document's own properties: the issuing agency as its author (and last editor), its subject as its title,
    made now (or on the document's date), in Vietnamese; nothing of the tools that made it."""
    if author is None:
        name, _ = _frame_value(context, "agency_name")
        author = _one_line(name if name is not None else _frame_value(context, "agency")[0])
    if title is None:
        subject, count = _frame_value(context, "subject")
        kind = _one_line(_frame_value(context, "type_name")[0]).capitalize()
        title = _one_line(subject) if count == 1 else kind
    if when is None:
        day = _frame_value(context, "document_date")[0]
        when = day if isinstance(day, date) else None
    moment = when if isinstance(when, datetime) else \
        datetime(when.year, when.month, when.day, tzinfo=UTC) if isinstance(when, date) else datetime.now(UTC)
    moment = moment.replace(microsecond=0)
    props = doc.core_properties
    props.author = props.last_modified_by = _one_line(author)[:255]
    props.title = _one_line(title)[:255]
    props.comments = props.keywords = props.category = props.subject = ""
    props.language = LANGUAGE
    props.created = props.modified = moment
    props.revision = 1
    package_rels = doc.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype.endswith("/thumbnail")]:
        del package_rels[rid]  # a picture of some other page (python-docx's own template carries one)
    _vietnamese(doc)


def render(template: bytes, context: dict[str, Any], *, author: str | None = None, title: str | None = None,
           when: date | datetime | None = None) -> bytes:
    """Fill the template with the context in the bounded sandbox; the result is a DOCX. Every document (preview,
    plan, notices, report, minutes) is rendered here. The file's properties: `author` (the issuing agency; by
    default the context's `agency_name` or `agency`), `title` (by default the context's `subject`) and `when` it
    was made (by default the context's `document_date`, else now); its language vi-VN."""
    check_docx(template)
    token = _budget.set(_Budget())
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render(context, jinja_env=_environment(), autoescape=True)
        _describe(tpl.docx, context, author, title, when)
        out = io.BytesIO()
        tpl.save(out)
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"Template tag error (line {exc.lineno}): {exc.message}") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateUnsafe(f"The template uses something it may not: {exc}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"The template does not render: {exc}") from exc
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise _too_costly(type(exc).__name__) from exc
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"The Word document cannot be read: {exc}") from exc
    finally:
        _budget.reset(token)
    return out.getvalue()


def soffice() -> str | None:
    """The LibreOffice binary, if this machine has one."""
    configured = get_settings().soffice_path
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    """The document as PDF, converted by LibreOffice in a private profile (a fresh one each time, so that nothing of a
    user's or of another conversion is shared) within the configured time; past it the whole LibreOffice process
    group is ended."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable("LibreOffice is not installed on the server; download the Word file (.docx) instead.")
    with _pdf_lock, tempfile.TemporaryDirectory(prefix="ocop-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        command = [binary, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", tmp, str(source)]
        env = {**os.environ, "HOME": tmp}  # the service's user may have no home of its own (the Docker image's)
        try:
            process = subprocess.Popen(  # noqa: S603 - our binary, our temporary files; no shell  # nosec B603
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        except OSError as exc:
            raise PdfUnavailable("LibreOffice could not be started to convert the document to PDF.") from exc
        try:
            code = process.wait(timeout=get_settings().pdf_timeout_seconds)
        except subprocess.TimeoutExpired as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # soffice's wrapper and the office process it started
            process.wait()
            raise PdfUnavailable("LibreOffice took too long to convert the document to PDF.") from exc
        target = Path(tmp) / "document.pdf"
        if code != 0 or not target.is_file():
            raise PdfUnavailable("LibreOffice could not convert the document to PDF.")
        return target.read_bytes()
