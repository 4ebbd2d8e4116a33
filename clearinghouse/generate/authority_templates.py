"""Authorities' own templates: upload, check, version, publish, choose and generate from.

A template belongs to one authority and one library document type (whose schema and sample
data apply). Every upload is a new immutable version with its check report; a version with
errors stays a draft; practitioners only see published versions. Published templates (the
own authority's, and other authorities' shared ones) are template sources like the
library's, so generation, the API and the pages use them the same way.

This module is the one views, the API, the CLI and tests import; the work is in
template_records.py (what callers see, access, reading), template_upload.py (checks,
upload, re-check, publish, settings), template_choice.py (a practitioner's choice) and
template_provider.py (the template source provider, registered when it is imported).
"""

from . import template_provider  # noqa: F401 - registers the "authority" template source
from .template_choice import (
    LIBRARY_CHOICE,
    template_choice_get,
    template_choice_set,
    template_chosen_slug,
    template_options,
)
from .template_records import (
    TemplateInfo,
    VersionInfo,
    can_upload,
    library_doc_types,
    template_get,
    template_list,
    template_version_file,
    template_version_get,
)
from .template_upload import (
    template_check,
    template_publish,
    template_recheck,
    template_settings,
    template_upload,
)

__all__ = [
    "LIBRARY_CHOICE",
    "TemplateInfo",
    "VersionInfo",
    "can_upload",
    "library_doc_types",
    "template_check",
    "template_choice_get",
    "template_choice_set",
    "template_chosen_slug",
    "template_get",
    "template_list",
    "template_options",
    "template_publish",
    "template_recheck",
    "template_settings",
    "template_upload",
    "template_version_file",
    "template_version_get",
]
