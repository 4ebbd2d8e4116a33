"""Generation: documents made from case data with a template from any template source.

service.py is the door for the pages (views.py), the API and the CLI (cli.py). The rest:
sources.py (where templates come from), library.py (the built-in templates_library/ and
its schemas), case_validation.py (limits and schema: refuses), case_quality.py (warnings
that never block), schema_form.py with schema_fields.py (the case form built from a
schema) and rendering.py (the pure renderer with the app's limits, and the HTML preview).
"""
