"""Exports (PDF, CSV, workshop.json) and the workshop.json import; routes in `routes.bp`."""
