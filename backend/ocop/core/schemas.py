"""The one base of request bodies: `Strict` refuses unknown fields and control characters in text.

C0 control characters (U+0000–U+001F) and DEL (U+007F) are refused in every string of a request body, at any depth
(lists, dicts), with a 422 naming the field (`type` `control_character`), except tab, line feed and carriage
return, which free text (descriptions, notes, narratives) may hold. One-line fields refuse those too: fields
marked `SingleLine` (`Annotated[str, ..., SingleLine]`, as the `Name`-like aliases are) and fields whose name says
they hold one line (`name`, `code`, `title`, `username`, `…_number`, …: `SINGLE_LINE_NAMES`). Passwords are taken
as typed (they are only hashed, never shown).
"""
from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all C0 and DEL but tab, LF, CR
CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")  # all C0 and DEL

SINGLE_LINE_NAMES = frozenset({
    "name", "code", "title", "number", "username", "full_name", "short_name", "notation", "phone", "place",
    "representative", "organisation", "assignee_label", "serial_from", "serial_to", "item_code", "tax_code",
    "business_reg_no", "eoffice_code", "signer_name", "signer_title", "document_number", "decision_number",
    "certificate_number", "url",
})
SINGLE_LINE_SUFFIXES = ("_name", "_code", "_number", "_title")
UNCHECKED_NAMES = ("password",)  # a field whose name contains one of these is taken as typed


def _offence(value: str, pattern: re.Pattern[str]) -> str | None:
    found = pattern.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def _refuse(char: str, single_line: bool) -> PydanticCustomError:
    if single_line:
        return PydanticCustomError(
            "control_character",
            "This field holds one line of text: control characters, tabs and line breaks are not allowed "
            "(found {char}).", {"char": char})
    return PydanticCustomError(
        "control_character",
        "Control characters are not allowed in text (found {char}); only tab and line breaks are.", {"char": char})


def _walk(value: Any, pattern: re.Pattern[str], single_line: bool, into_dicts: bool) -> None:
    if isinstance(value, str):
        char = _offence(value, pattern)
        if char:
            raise _refuse(char, single_line)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            _walk(v, pattern, single_line, into_dicts)
    elif isinstance(value, dict) and into_dicts:
        for k, v in value.items():
            _walk(k, pattern, single_line, into_dicts)
            _walk(v, pattern, single_line, into_dicts)


def _single_line(value: Any) -> Any:
    _walk(value, CONTROL_SINGLE_LINE, True, True)
    return value


SingleLine = BeforeValidator(_single_line)
"""Marks a text field as one line: `Annotated[str, StringConstraints(...), SingleLine]`."""


def _mentions_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_mentions_model(a) for a in typing.get_args(annotation))


_PLANS: dict[tuple[type, str], tuple[re.Pattern[str] | None, bool, bool]] = {}


def _field_plan(cls: type[BaseModel], name: str) -> tuple[re.Pattern[str] | None, bool, bool]:
    """(pattern, single line, walk into dicts) for a field of a model, worked out once."""
    plan = _PLANS.get((cls, name))
    if plan is None:
        if any(word in name for word in UNCHECKED_NAMES):
            plan = (None, False, False)
        else:
            single = name in SINGLE_LINE_NAMES or name.endswith(SINGLE_LINE_SUFFIXES)
            field = cls.model_fields.get(name)
            # nested models check their own fields (and name them precisely in `loc`); plain dicts are walked
            into_dicts = field is None or not _mentions_model(field.annotation)
            plan = (CONTROL_SINGLE_LINE if single else CONTROL, single, into_dicts)
        _PLANS[(cls, name)] = plan
    return plan


class Strict(BaseModel):
    """Base of every request body."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or isinstance(value, int | float):
            return value
        pattern, single, into_dicts = _field_plan(cls, info.field_name or "")
        if pattern is not None:
            _walk(value, pattern, single, into_dicts)
        return value
