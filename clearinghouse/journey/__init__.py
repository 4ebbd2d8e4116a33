"""The case journey: a case entered once, in parts, then any document or pack generated from it.

sealed.py keeps the case with the browser (encrypted, signed, bound to the sign-in); parts.py
names the parts and their status; places.py says where a page is in the case and what it asks;
nodes.py builds one short page; answers.py reads and stores a page's answers; service.py checks
a case for a document and generates it through the generation service; views.py are the pages.
"""
