"""Business rules of the registry that need no HTTP: tax codes, stars and scores, certificate status."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from ocop.registry.models import Certificate
from ocop.registry.schemas import CertificateCreate, ProducerCreate, stars_for_score, tax_code_problem
from ocop.registry.service import default_valid_to, status_of

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def make_tax_code(first9: str) -> str:
    check = 10 - sum(w * int(d) for w, d in zip(WEIGHTS, first9, strict=True)) % 11
    assert check < 10, "pick another prefix"
    return first9 + str(check)


def test_tax_code_check_digit():
    good = make_tax_code("490012346")
    assert tax_code_problem(good) is None
    assert tax_code_problem(good + "-001") is None
    wrong = good[:9] + str((int(good[9]) + 1) % 10)
    assert "chữ số kiểm tra" in tax_code_problem(wrong)
    for bad in ("49001234", "49001234567", "490012345a", good + "-01", good + "001", " ", "ABCDEFGHIJ"):
        assert tax_code_problem(bad) is not None, bad


def test_producer_schema_rejects_a_bad_tax_code_with_a_vietnamese_message():
    with pytest.raises(ValidationError) as err:
        ProducerCreate(kind="cooperative", name="HTX A", admin_unit_id=1, tax_code="1234567890")
    assert "Mã số thuế" in str(err.value)
    assert ProducerCreate(kind="cooperative", name="HTX A", admin_unit_id=1, tax_code="").tax_code is None


@pytest.mark.parametrize(("score", "stars"), [(100, 5), (90, 5), (89.99, 4), (70, 4), (69.5, 3), (50, 3),
                                               (49.99, None), (0, None)])
def test_score_bands(score, stars):
    assert stars_for_score(score) == stars


def test_certificate_needs_three_stars_and_a_matching_score():
    base = {"product_id": 1, "decision_date": date(2024, 5, 1)}
    with pytest.raises(ValidationError, match="dưới 3 sao"):
        CertificateCreate(**base, stars=2)
    with pytest.raises(ValidationError, match="không khớp"):
        CertificateCreate(**base, stars=4, score=66.36)
    assert CertificateCreate(**base, stars=3, score=66.36).stars == 3
    with pytest.raises(ValidationError):
        CertificateCreate(**base, stars=4, score=101)


def cert(decision: date, **kw) -> Certificate:
    return Certificate(product_id=1, certificate_number="X", decision_date=decision, stars=4, valid_from=decision,
                       valid_to=kw.pop("valid_to", default_valid_to(decision)), **kw)


def test_valid_for_36_months_from_the_decision():
    assert default_valid_to(date(2022, 12, 7)) == date(2025, 12, 6)
    assert default_valid_to(date(2024, 2, 29)) == date(2027, 2, 27)


def test_status_at_the_boundaries():
    c = cert(date(2022, 12, 7))  # valid to 2025-12-06
    last = date(2025, 12, 6)
    assert status_of(c, last) == "expiring"  # the day of expiry is still covered
    assert status_of(c, last + timedelta(days=1)) == "expired"
    assert status_of(c, last - timedelta(days=90)) == "expiring"
    assert status_of(c, last - timedelta(days=91)) == "valid"
    revoked = cert(date(2022, 12, 7), revocation_date=date(2024, 1, 10))
    assert status_of(revoked, date(2024, 1, 9)) == "valid"
    assert status_of(revoked, date(2024, 1, 10)) == "revoked"
    superseded = cert(date(2022, 12, 7), superseded_on=date(2025, 11, 1))
    assert status_of(superseded, date(2025, 11, 1)) == "superseded"
