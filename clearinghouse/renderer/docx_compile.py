"""A docxtpl template compiled once: each part preprocessed by docxtpl and compiled by Jinja.

docxtpl (0.20.2) opens the package with python-docx, cleans each part's XML (patch_xml) and
compiles it again on every render, then re-zips every part. Here that work is done once
per template version: rendering only runs the compiled parts and writes a new zip in which
the parts rendering never touches are copied still compressed. The steps per part are
docxtpl's own (patch_xml, resolve_listing, fix_tables, fix_docpr_ids), so the text matches
what docxtpl produces; the parts rendered are docxtpl's: body, headers, footers,
footnotes and the core document properties. Rendering is in docx_render.py.
"""

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta
from lxml import etree

from .docx_errors import error_context, part_error, part_label, raise_template_error
from .docx_zip import Entry, read_entries
from .errors import TemplateError
from .sandbox import document_env, forbidden_constructs

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# docxtpl renders these core properties (python-docx name -> element in core.xml).
CORE_PROPERTIES = {
    "author": "{http://purl.org/dc/elements/1.1/}creator",
    "comments": "{http://purl.org/dc/elements/1.1/}description",
    "identifier": "{http://purl.org/dc/elements/1.1/}identifier",
    "language": "{http://purl.org/dc/elements/1.1/}language",
    "subject": "{http://purl.org/dc/elements/1.1/}subject",
    "title": "{http://purl.org/dc/elements/1.1/}title",
}
_BODY_MARK = "CLEARINGHOUSE-BODY-MARK"
PROP_MARK = "@@CLEARINGHOUSE-PROPERTY-{}@@"
_HAS_TAG = re.compile(r"\{[{%#]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
# docxtpl's own helpers (patch_xml, resolve_listing, fix_tables) use no instance state.
DOCXTPL = DocxTemplate(None)


@dataclass
class Part:
    """One renderable part: its name, what it is, its Jinja source and compiled form."""

    name: str
    kind: str  # body | xml | footnotes | core
    source: str
    template: object
    label: str
    prefix: str = ""
    suffix: str = ""
    props: list = field(default_factory=list)  # core: [(property, source, template)]


@dataclass
class CompiledDocx:
    """A template ready to render many times."""

    entries: list[Entry]
    parts: dict[str, Part]
    variables: set[str]


def _compile(name: str, label: str, source: str, problems: list[dict]):
    env = document_env()
    try:
        ast = env.parse(source)
        forbidden = forbidden_constructs(ast)
        if forbidden:
            for message in forbidden:
                problems.append(
                    {
                        "part": name,
                        "message": f"In {label}: {message}",
                        "context": "",
                        "kind": "forbidden",
                    }
                )
            _add_forbidden_context(name, source, problems)
            return None, set()
        template = env.from_string(ast)
    except TemplateSyntaxError as exc:
        problems.append(part_error(name, label, source, exc))
        return None, set()
    return template, meta.find_undeclared_variables(ast) - set(env.globals)


def _add_forbidden_context(name: str, source: str, problems: list[dict]) -> None:
    # Point at the first paragraph holding a tag that uses a forbidden name.
    for item in problems:
        if item["part"] != name or item["context"]:
            continue
        words = re.findall(r"'([^']+)'", item["message"])
        for index, line in enumerate(source.splitlines(), 1):
            if words and words[0] in line and _HAS_TAG.search(line):
                item["context"] = error_context(source, index)
                break
            if not words and re.search(r"\{%-?\s*(include|import|from|extends)\b", line):
                item["context"] = error_context(source, index)
                break


def _rel_targets(archive: zipfile.ZipFile, types: tuple[str, ...]) -> list[str]:
    try:
        root = etree.fromstring(archive.read("word/_rels/document.xml.rels"), _SAFE_PARSER)
    except KeyError:
        return []
    found = []
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith(types):
            continue
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"word/{target}"
        found.append(target)
    return found


def _footnote_parts(archive: zipfile.ZipFile) -> list[str]:
    root = etree.fromstring(archive.read("[Content_Types].xml"), _SAFE_PARSER)
    return [
        el.get("PartName", "").lstrip("/") for el in root if el.get("ContentType") == FOOTNOTES_TYPE
    ]


def _patched(xml: str) -> str:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", DOCXTPL.patch_xml(xml))


def _compile_body(archive, problems) -> tuple[Part, set]:
    root = parse_xml(archive.read("word/document.xml"))
    body = root.find(f"{{{W_NS}}}body")
    if body is None:
        raise TemplateError("The template is not a Word document: it has no body.")
    source = _patched(etree.tostring(body, encoding="unicode"))
    template, variables = _compile(
        "word/document.xml", part_label("word/document.xml"), source, problems
    )
    index = list(root).index(body)
    root.remove(body)
    root.insert(index, etree.Comment(_BODY_MARK))
    whole = etree.tostring(root, encoding="unicode")
    prefix, suffix = whole.split(f"<!--{_BODY_MARK}-->")
    part = Part("word/document.xml", "body", source, template, part_label("word/document.xml"))
    part.prefix, part.suffix = XML_DECLARATION + prefix, suffix
    return part, variables


def _compile_core(archive, problems) -> tuple[Part | None, set]:
    try:
        root = etree.fromstring(archive.read("docProps/core.xml"), _SAFE_PARSER)
    except KeyError:
        return None, set()
    props, variables = [], set()
    for prop, tag in CORE_PROPERTIES.items():
        element = root.find(tag)
        if element is None or not element.text or not _HAS_TAG.search(element.text):
            continue
        # Compile the escaped text (literal text must stay valid XML), with tags unescaped.
        source = re.sub(
            r"(?<=\{[\{%])(.*?)(?=[\}%]\})",
            lambda m: html.unescape(m.group(0)),
            html.escape(element.text, quote=False),
        )
        label = f"the document properties ({prop})"
        template, found = _compile(f"docProps/core.xml:{prop}", label, source, problems)
        variables |= found
        props.append((prop, source, template))
        element.text = PROP_MARK.format(len(props) - 1)
    if not props:
        return None, set()
    part = Part("docProps/core.xml", "core", "", None, part_label("docProps/core.xml"), props=props)
    part.prefix = etree.tostring(root, encoding="unicode")
    return part, variables


def compile_docx(data: bytes) -> CompiledDocx:
    """Preprocess and compile every renderable part; raise TemplateError listing problems."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = read_entries(archive, data)
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise TemplateError("The template is not a Word document (.docx).")
        for name in names:
            if name.endswith((".xml", ".rels")) and _DTD.search(archive.read(name)):
                raise TemplateError(
                    f"Part of the template ({name}) declares XML entities, which are not allowed."
                )
        problems: list[dict] = []
        parts: dict[str, Part] = {}
        body, variables = _compile_body(archive, problems)
        parts[body.name] = body
        for name in _rel_targets(archive, ("/header", "/footer")):
            if name not in names or not archive.read(name):
                continue
            source = _patched(etree.tostring(parse_xml(archive.read(name)), encoding="unicode"))
            template, found = _compile(name, part_label(name), source, problems)
            variables |= found
            parts[name] = Part(name, "xml", source, template, part_label(name))
        for name in _footnote_parts(archive):
            if name not in names:
                continue
            source = _patched(archive.read(name).decode("utf-8"))
            template, found = _compile(name, part_label(name), source, problems)
            variables |= found
            parts[name] = Part(name, "footnotes", source, template, part_label(name))
        core, found = _compile_core(archive, problems)
        variables |= found
        if core is not None:
            parts[core.name] = core
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, UnicodeDecodeError, ValueError):
        raise TemplateError(
            "The template is not a readable Word document. Save it again as .docx."
        ) from None
    if problems:
        raise_template_error(problems)
    return CompiledDocx(entries, parts, variables)
