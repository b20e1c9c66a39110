"""Imports every table class so that the metadata (Alembic, tests) knows them all."""
from ocop.audit.models import AuditEvent
from ocop.auth.models import LoginFailure, RefreshToken
from ocop.org.models import AdminUnit, AdminUnitLink, AdminUnitScope, Agency, User, UserRole

__all__ = ["AdminUnit", "AdminUnitLink", "AdminUnitScope", "Agency", "AuditEvent", "LoginFailure",
           "RefreshToken", "User", "UserRole"]
