"""Authorities' own templates: upload, check, version, publish, choose and generate from.

A template belongs to one authority and one library document type (whose schema and sample
data apply). Every upload is a new immutable version with its check report; a version with
errors stays a draft; practitioners only see published versions. Published templates (the
own authority's, and other authorities' shared ones) are template sources like the
library's, so generation, the API and the pages use them the same way.

This module is the one views, the API, the CLI and tests import; the work is in
records.py (what callers see, access, reading), upload.py (check, upload, re-check, publish,
settings), upload_report.py (the check report on an uploaded template), choice.py (a
practitioner's choice) and provider.py (the template source provider create_app registers).
"""

from .choice import (
    LIBRARY_CHOICE,
    template_choice_get,
    template_choice_set,
    template_chosen_slug,
    template_options,
)
from .records import (
    TemplateInfo,
    TemplateVersionInfo,
    can_upload,
    library_doc_types,
    template_get,
    template_get_editable,
    template_list,
    template_upload_authority,
    template_version_file,
    template_version_get,
)
from .upload import (
    template_check,
    template_publish,
    template_recheck,
    template_settings,
    template_upload,
)

__all__ = [
    "LIBRARY_CHOICE",
    "TemplateInfo",
    "TemplateVersionInfo",
    "can_upload",
    "library_doc_types",
    "template_check",
    "template_choice_get",
    "template_choice_set",
    "template_chosen_slug",
    "template_get",
    "template_get_editable",
    "template_list",
    "template_options",
    "template_publish",
    "template_recheck",
    "template_settings",
    "template_upload",
    "template_upload_authority",
    "template_version_file",
    "template_version_get",
]
