"""Long file names are shortened in the stem and keep their extension, so the type check holds."""

import pytest
from docx_samples import good_docx

from clearinghouse.documents.service import document_create, version_file
from clearinghouse.documents.validate import MAX_FILENAME, check_upload, clean_filename
from clearinghouse.models import DocumentVersion, TemplateVersion

STEM = "Ashdown safeguarding supervision policy – final agreed version " * 5


@pytest.mark.parametrize("extension", [".md", ".docx", ".MD"])
def test_a_300_character_name_keeps_its_extension(extension):
    name = (STEM * 2)[: 300 - len(extension)] + extension
    cleaned = clean_filename(name)
    assert len(name) == 300 and MAX_FILENAME - 5 <= len(cleaned) <= MAX_FILENAME
    assert cleaned.endswith(extension) and name.startswith(cleaned[: -len(extension)])


def test_names_fit_their_columns():
    for model in (DocumentVersion, TemplateVersion):
        assert model.__table__.c.filename.type.length >= MAX_FILENAME


def test_short_names_and_odd_names_are_kept_or_cut_sensibly():
    assert clean_filename("C:\\Users\\me\\policy.md") == "policy.md"
    assert clean_filename("policy.md") == "policy.md"
    long_without_extension = "x" * 300
    assert clean_filename(long_without_extension) == "x" * MAX_FILENAME
    assert clean_filename("a" * 250 + ". .md").endswith("a.md")  # no dots or spaces left dangling


@pytest.mark.parametrize("extension", [".md", ".docx"])
def test_a_300_character_name_is_accepted_and_stored(app, users, extension):
    data = b"# Policy\n\nText.\n" if extension == ".md" else good_docx()
    name = (STEM * 2)[: 300 - len(extension)] + extension
    limits_upload = check_upload(data, name, _limits())
    assert limits_upload.extension == extension
    version = document_create(
        users["editor"],
        title="Long name",
        doc_type="policy",
        visibility="internal",
        data=data,
        filename=name,
    )
    _data, stored, _media = version_file(users["editor"], version.document_id, 1)
    assert stored.endswith(extension) and len(stored) <= MAX_FILENAME


def _limits():
    from clearinghouse.documents.limits import UploadLimits

    return UploadLimits(20 * 1024 * 1024, 200 * 1024 * 1024, 2000, 100)
