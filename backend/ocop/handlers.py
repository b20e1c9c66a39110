"""Imports the modules that react to what a transaction changed (`core.changes.on_commit`): compliance status
and webhook deliveries. Every process that writes (the app, the CLI, the worker, the seeds) imports this."""
from ocop.compliance import service as compliance_service
from ocop.integrations import service as integrations_service

__all__ = ["compliance_service", "integrations_service"]
