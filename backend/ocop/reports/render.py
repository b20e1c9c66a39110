"""Document rendering, the one module that knows the libraries: Word templates (DOCX with Jinja tags, filled by
docxtpl over python-docx) and PDF through LibreOffice where it is installed (looked for at run time).

Templates an administrator uploads run in Jinja's sandbox with autoescaping, so a template can neither reach
Python objects nor break the document's XML with the data's '&' and '<'."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from ocop.core.config import get_settings

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
_pdf_lock = threading.Semaphore(1)  # one conversion at a time: LibreOffice is heavy on a 2-core machine


class TemplateError(Exception):
    """The template is not a Word document or its tags do not render."""


class PdfUnavailable(Exception):
    """LibreOffice is not installed here (or failed)."""


def check_docx(data: bytes) -> None:
    """A Word document: a ZIP package with word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile as exc:
        raise TemplateError("The file is not a Word document (.docx).") from exc
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise TemplateError("The file is not a Word document (.docx): word/document.xml is missing.")


def _environment() -> jinja2.Environment:
    env = SandboxedEnvironment(autoescape=True, trim_blocks=False)
    env.filters["upper_vi"] = lambda s: (s or "").upper()
    return env


def render(template: bytes, context: dict[str, Any]) -> bytes:
    """Fill the template with the context; the result is a DOCX."""
    check_docx(template)
    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render(context, jinja_env=_environment(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"Template tag error (line {exc.lineno}): {exc.message}") from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"The template uses something it may not: {exc}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"The template does not render: {exc}") from exc
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"The Word document cannot be read: {exc}") from exc
    return out.getvalue()


def soffice() -> str | None:
    """The LibreOffice binary, if this machine has one."""
    configured = get_settings().soffice_path
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    binary = soffice()
    if binary is None:
        raise PdfUnavailable("LibreOffice is not installed on the server; download the Word file (.docx) instead.")
    with _pdf_lock, tempfile.TemporaryDirectory(prefix="ocop-pdf-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        try:
            subprocess.run(  # noqa: S603 - our binary, our temporary files; no shell  # nosec B603
                [binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=get_settings().pdf_timeout_seconds)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable("LibreOffice could not convert the document to PDF.") from exc
        target = Path(tmp) / "document.pdf"
        if not target.is_file():
            raise PdfUnavailable("LibreOffice could not convert the document to PDF.")
        return target.read_bytes()
