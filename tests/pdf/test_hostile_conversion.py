"""A hostile document cannot make the converter read a local file or reach the network.

The hostile document (hostile_docs.py) links images to a local file and to a web server run
here, and asks for both in INCLUDEPICTURE, INCLUDETEXT, LINK and DDE fields. The control
shows it is real: a plain ``soffice --convert-to pdf`` of it fetches the web image and embeds
the local picture. Through the service's converter, nothing is fetched, read or embedded.
"""

import http.server
import io
import threading
import zipfile

import pikepdf
import pytest
from authority_templates.test_templates_service import good_template
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from clearinghouse import pdf
from clearinghouse.pdf import converter as converter_module

from .hostile_docs import hostile_docx, png
from .pdf_tools import docx_to_pdf as cold_convert
from .pdf_tools import need_libreoffice

SECRET = "Secret-Text-From-A-Local-File-5521"
WEB_BLUE, LOCAL_GREEN = (0, 0, 255), (0, 255, 0)


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png(WEB_BLUE))

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """A web server on loopback that counts the requests it is sent."""
    _Handler.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture
def local_files(tmp_path):
    """A local text file and picture a document must never be able to read."""
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "secret.png").write_bytes(png(LOCAL_GREEN))
    return tmp_path


def _hostile(web, local_files) -> bytes:
    return hostile_docx(
        str(local_files / "secret.txt"),
        str(local_files / "secret.png"),
        f"http://127.0.0.1:{web.server_port}",
    )


def _picture_colours(made: bytes) -> set[tuple[int, ...]]:
    """Return the first pixel's colour of every image in the PDF."""
    colours = set()
    with pikepdf.open(io.BytesIO(made)) as opened:
        for page in opened.pages:
            for image in page.get_images().values():
                colours.add(tuple(pikepdf.PdfImage(image).read_bytes()[:3]))
    return colours


def _text(made: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(made)) as opened:
        return "\n".join(page.extract_text() or "" for page in opened.pages)


def test_control_plain_libreoffice_follows_the_links(web, local_files):
    need_libreoffice()
    made = cold_convert(_hostile(web, local_files))
    assert _Handler.hits, "plain LibreOffice fetched nothing: the hostile document is not real"
    assert LOCAL_GREEN in _picture_colours(made), "plain LibreOffice did not read the local file"


def test_the_service_converter_reads_and_fetches_nothing(web, local_files):
    need_libreoffice()
    pdf.shutdown()
    try:
        made = pdf.docx_to_pdf(_hostile(web, local_files), pdf.PdfSettings.from_settings({}))
    finally:
        pdf.shutdown()
    assert _Handler.hits == []
    assert _picture_colours(made) == set()
    text = _text(made)
    assert SECRET not in text and "Words of a hyperlink that stay" in text


def test_without_hardening_the_converter_still_reaches_no_network(web, local_files):
    """The second wall: converters run in a network namespace of their own (as root, as CI)."""
    need_libreoffice()
    if not converter_module._prefix():
        pytest.skip("this machine gives no network namespace (unshare --net needs root)")
    pdf.shutdown()
    try:
        pool = pdf._pool(pdf.PdfSettings.from_settings({}))
        made = pool.convert(_hostile(web, local_files), False)  # not hardened: on purpose
    finally:
        pdf.shutdown()
    assert _Handler.hits == [] and WEB_BLUE not in _picture_colours(made)


def _with_fields(data: bytes, secret_file: str, address: str) -> bytes:
    """Return a template with an INCLUDEPICTURE and an INCLUDETEXT field added (uploads
    refuse external relationships, but field codes are words in the text)."""
    document = Document(io.BytesIO(data))
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> {} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>shown</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    asks = (f'INCLUDEPICTURE "{address}/template.png" \\d', f'INCLUDETEXT "{secret_file}"')
    for instruction in asks:
        paragraph = document.add_paragraph()
        xml = runs.replace("{}", instruction.replace('"', "&quot;"))
        for run in parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"):
            paragraph._p.append(run)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_authority_template_with_linking_fields_makes_a_safe_pdf(
    gen_app, users, client, api_headers, web, local_files
):
    """An editor's template asks for a local file and the web server; its PDF holds neither."""
    need_libreoffice()
    editor, practitioner = api_headers(users["editor"]), api_headers(users["practitioner"])
    template = _with_fields(
        good_template(), str(local_files / "secret.txt"), f"http://127.0.0.1:{web.server_port}"
    )
    form = {"doc_type": "test-letter", "title": "Linking letter", "visibility": "shared"}
    form["file"] = (io.BytesIO(template), "letter.docx")
    uploaded = client.post("/api/v1/templates", data=form, headers=editor)
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    slug = uploaded.get_json()["template"]["slug"]
    published = client.post(f"/api/v1/templates/{slug}/versions/1/publish", headers=editor)
    assert published.status_code == 200
    case = client.get(f"/api/v1/templates/{slug}/sample", headers=practitioner).get_json()
    word = client.post(f"/api/v1/templates/{slug}/render", json=case, headers=practitioner)
    with zipfile.ZipFile(io.BytesIO(word.data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "INCLUDEPICTURE" in body and "INCLUDETEXT" in body  # the fields reach the document
    pdf.shutdown()
    try:
        made = client.post(
            f"/api/v1/templates/{slug}/render?format=pdf", json=case, headers=practitioner
        )
    finally:
        pdf.shutdown()
    assert made.status_code == 200 and made.mimetype == "application/pdf"
    assert _Handler.hits == [] and _picture_colours(made.data) == set()
    text = _text(made.data)
    assert "Dear family of Amara Okafor" in text and SECRET not in text
