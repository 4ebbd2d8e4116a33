"""Generation: documents made from case data with a template from any template source.

service.py is the door for the pages (views.py), the API and the CLI (cli.py). The rest:
sources.py (where templates come from), library.py (the built-in templates_library/ and
its schemas), case_validation.py (limits and schema: refuses), case_quality.py (warnings
that never block), schema_form.py with schema_fields.py (the case form built from a
schema) and rendering.py (the pure renderer with the app's limits, and the HTML preview).

Case model 2: case_pipeline.py takes the case from the data sent to what a template renders:
case_convert.py (version 1 files converted on the safe side), case_references.py (references
between parts must resolve), case_view.py with case_dates.py and case_scales.py (the case as one
document may show it: its date, its one recipient, the child's consent). packs.py renders several
documents from one case into one zip (pack_views.py are its pages).
"""
