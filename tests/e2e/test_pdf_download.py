"""In the browser: a library template tried with its sample data, previewed, then downloaded
with "Download as PDF": the file Chromium saves is a PDF naming the sample's child."""

from pathlib import Path

from pdf.pdf_tools import need_libreoffice
from pdf.routes_support import LETTER, library_sample, pdf_text
from playwright.sync_api import expect


def test_the_preview_downloads_the_document_as_pdf(page, sign_in):
    need_libreoffice()
    sign_in("practitioner")
    page.goto(f"/generate/{LETTER}?sample=1")
    page.locator("main").get_by_role("button", name="Check and preview").last.click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")
    expect(page.get_by_role("button", name="Download as PDF/A for a court bundle")).to_be_visible()
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name="Download as PDF", exact=True).click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-"), data[:40]
    child = library_sample(LETTER)["children"][0]["name"]
    assert child in pdf_text(data)
    expect(page.locator(".govuk-caption-l")).to_have_text("Preview")  # still on the preview
