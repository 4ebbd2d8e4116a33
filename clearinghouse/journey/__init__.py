"""The case journey: a case entered once, in parts, then any document or pack generated from it.

sealed.py keeps the case with the browser (encrypted, signed, bound to the sign-in); parts.py
names the parts and their status; nodes.py builds and reads one short page of a part;
service.py checks a case for a document and generates it through the generation service;
views.py are the pages.
"""
