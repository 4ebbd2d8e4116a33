"""Authorities' own templates: upload, check, version, publish, choose; service.py is the door."""
