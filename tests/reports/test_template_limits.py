"""Templates are admin-edited code: rendered in a sandbox with limits, so that no expression reaches Python's
internals and none makes the server build a huge value or run for ever. Refused with 422 at once."""
from __future__ import annotations

import tracemalloc

import pytest
import sqlalchemy as sa

from ocop.core import storage
from ocop.reports.models import DocumentTemplate
from tests.campaigns.helpers import API, seeded
from tests.conftest import count
from tests.reports.test_templates import DOCX, edited_default, text_of, upload

COSTLY = [
    "{{ 'x' * 30000000 }}",
    "{{ range(10**9)|list }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}",
    "{% set s = 'x' * 900000 %}{% for i in range(5000) %}{{ s }}{% endfor %}",
    "{% set s = 'x' * 900000 %}{% set l = [s, s, s, s, s, s, s, s, s, s] %}{{ l }}",
    "{% set s = 'x' * 900000 %}{{ s ~ s ~ s }}",
    "{{ 'x'|center(1000000000) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ ('x' * 100000).replace('x', 'y' * 100000) }}",
    "{{ 10**10000000 }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
]


def preview(client, headers, cid: int, data: bytes, kind: str = "plan"):  # type: ignore[no-untyped-def]
    return client.post(f"{API}/document-templates/preview", headers=headers,
                       data={"kind": kind, "campaign_id": str(cid)}, files={"file": (f"{kind}.docx", data, DOCX)})


@pytest.mark.parametrize("expression", COSTLY)
def test_costly_templates_are_refused_at_once(client, session, as_user, expression):
    admin = as_user("admin")
    cid = seeded(session, 2024)
    data = edited_default(client, admin, "plan", f"A{expression}B")
    tracemalloc.start()
    try:
        r = preview(client, admin, cid, data)
        up = upload(client, admin, "plan", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    for answer in (r, up):
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "template_too_costly"
    assert peak < 80 * 1024 * 1024, f"{peak / 2**20:.0f} MB allocated while refusing"
    assert count(session, DocumentTemplate) == 0


@pytest.mark.parametrize(("expression", "code"), [
    ("{{ ''.__class__.__mro__ }}", "template_unsafe"),
    ("{{ cycler.__init__.__globals__ }}", "template_unsafe"),
    ("{{ joiner.__call__.__globals__['os'] }}", "template_unsafe"),
    ("{{ namespace.__init__ }}", "template_unsafe"),
    ("{{ [].append(1) }}", "template_unsafe"),  # nor may it change the data it is given
    ("{{ lipsum.__globals__ }}", "template_invalid"),  # not offered at all
])
def test_sandbox_escapes_are_refused(client, session, as_user, expression, code):
    admin = as_user("admin")
    cid = seeded(session, 2024)
    data = edited_default(client, admin, "plan", f"A{expression}B")
    for r in (preview(client, admin, cid, data), upload(client, admin, "plan", data)):
        assert r.status_code == 422, r.text
        assert r.json()["code"] == code
    assert count(session, DocumentTemplate) == 0


def test_an_ordinary_template_still_previews_with_loops_filters_and_formats(client, session, as_user):
    admin = as_user("admin")
    cid = seeded(session, 2024)
    line = ("DÒNG THỬ {{ subject|upper }} {{ '%03d' % 7 }} {{ '{:>5}'.format('ab') }} {{ content_areas|length * 2 }} "
            "{% for a in content_areas %}[{{ loop.index }}:{{ a.number ~ '.' }}]{% endfor %} {{ range(3)|join('-') }}")
    r = preview(client, admin, cid, edited_default(client, admin, "plan", line))
    assert r.status_code == 200, r.text
    line = next(x for x in text_of(r.content).splitlines() if x.startswith("DÒNG THỬ"))
    assert line.startswith("DÒNG THỬ KIỂM TRA TÌNH HÌNH") and line.endswith(" 007    ab 8 [1:1.][2:2.][3:3.][4:4.] 0-1-2"), line


def test_documents_from_a_stored_template_use_the_same_limits(client, session, as_user):
    """A template cheap without data (as checked at upload) but costly with a campaign's: the plan is refused,
    not built."""
    admin = as_user("admin")
    cid = seeded(session, 2026)  # a draft plan: built now (an issued one is served as it was issued)
    assert upload(client, admin, "plan", edited_default(client, admin, "plan", "{{ subject }}")).status_code == 201
    sneaky = edited_default(client, admin, "plan", "{% for a in content_areas %}{{ 'x' * 30000000 }}{% endfor %}")
    assert upload(client, admin, "plan", sneaky).status_code == 201  # no areas without data: nothing to refuse
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=as_user("coordinator"))
    assert r.status_code == 422 and r.json()["code"] == "template_too_costly", r.text
    stored = session.scalars(sa.select(DocumentTemplate).where(DocumentTemplate.active)).one()
    assert storage.path_of(stored.storage_key).read_bytes()  # kept: the administrator can go back to another


def test_a_zip_bomb_is_not_a_template(client, session, as_user):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + " " * (70 * 1024 * 1024) + "</w:document>")
    r = upload(client, as_user("admin"), "plan", out.getvalue())
    assert r.status_code == 422 and r.json()["code"] == "template_too_costly"
