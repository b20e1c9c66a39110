"""Who may read compliance status: the registry's visibility of producers (users by role and unit;
API clients come with the integrations issue)."""
from __future__ import annotations

from ocop.registry.policies import visible_producers

__all__ = ["visible_producers"]
