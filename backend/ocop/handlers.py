"""Imports the modules that react to what a transaction changed (`core.changes.on_commit`): compliance status,
webhook deliveries, the minutes frozen at a visit's approval and the dashboard's tallies. Every process that writes (the app, the CLI, the worker, the seeds) imports this."""
from ocop.compliance import service as compliance_service
from ocop.integrations import service as integrations_service
from ocop.reports import service as reports_service
from ocop.reports import tally as reports_tally

__all__ = ["compliance_service", "integrations_service", "reports_service", "reports_tally"]
