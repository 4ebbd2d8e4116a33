"""The render worker: templates compiled once, rendered many times, in a separate process.

A docxtpl template compiled once: each part preprocessed by docxtpl and compiled by Jinja.

docxtpl (0.20.2) opens the package with python-docx, cleans each part's XML (patch_xml) and
compiles it again on every render, then re-zips every part. Here that work is done once
per template version: rendering only runs the compiled parts and writes a new zip in which
the parts rendering never touches are copied still compressed. The steps per part are
docxtpl's own (patch_xml, resolve_listing, fix_tables, fix_docpr_ids), so the text matches
what docxtpl produces; the parts rendered are docxtpl's: body, headers, footers,
footnotes and the core document properties.

``serve`` is the loop a worker process runs (started by render.py): it keeps compiled
templates in memory by key, runs under a memory limit, and answers one request at a time.
"""

import html
import io
import os
import re
import resource
import signal
import struct
import traceback
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError, meta
from jinja2.sandbox import SecurityError
from lxml import etree

from .sandbox import (
    RenderLimitError,
    TemplateError,
    data_paths,
    document_env,
    forbidden_constructs,
)

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
_PROP_MARK = "@@CLEARINGHOUSE-PROPERTY-{}@@"
_TAGS = re.compile(r"<[^>]+>")
_HAS_TAG = re.compile(r"\{[{%#]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
# docxtpl's own helpers (patch_xml, resolve_listing, fix_tables) use no instance state.
_DOCXTPL = DocxTemplate(None)


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
class Entry:
    """A zip entry kept as it was stored: name, method, crc, sizes, compressed bytes."""

    name: str
    method: int
    crc: int
    compressed: bytes
    size: int
    dos_time: int
    dos_date: int


@dataclass
class CompiledDocx:
    """A template ready to render many times."""

    entries: list[Entry]
    parts: dict[str, Part]
    variables: set[str]


# ---- errors with context ---------------------------------------------------------------


def paragraph_text(xml_line: str) -> str:
    """Return the visible text of a line of template XML."""
    return " ".join(html.unescape(_TAGS.sub("", xml_line)).split())


def error_context(source: str, lineno: int | None) -> str:
    """Return the paragraph text around a template line (the one with the bad tag)."""
    lines = source.splitlines()
    if not lineno or lineno < 1 or lineno > len(lines):
        return ""
    for distance in range(0, 4):
        for index in (lineno - 1 - distance, lineno - 1 + distance):
            if 0 <= index < len(lines):
                text = paragraph_text(lines[index])
                if text:
                    return text[:300]
    return ""


def template_lineno(exc: BaseException) -> int | None:
    """Return the template line an error was raised on, from Jinja's rewritten traceback."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            found = lineno
    return found


def _label(name: str) -> str:
    if name == "word/document.xml":
        return "the main text"
    if name.startswith("docProps/"):
        return "the document properties"
    kind = re.sub(r"\d*\.xml$", "", name.rsplit("/", 1)[-1])
    return {"header": "a header", "footer": "a footer", "footnotes": "the footnotes"}.get(
        kind, name
    )


def part_error(part_name: str, label: str, source: str, exc: BaseException) -> dict:
    """Return an error detail for a template problem in one part (never with data values)."""
    if isinstance(exc, SecurityError):
        message = str(exc)
    elif isinstance(exc, TemplateSyntaxError):
        message = f"Jinja syntax error: {exc.message}"
    elif isinstance(exc, JinjaTemplateError):
        message = exc.message or type(exc).__name__
    else:
        # Python's own messages can quote the data; say only what kind of problem it was.
        message = f"The template failed while filling in the data ({type(exc).__name__})."
    if isinstance(exc, SecurityError):
        kind = "forbidden"
    else:
        kind = "syntax" if isinstance(exc, TemplateSyntaxError) else "runtime"
    return {
        "part": part_name,
        "message": f"In {label}: {message}",
        "context": error_context(source, template_lineno(exc)),
        "kind": kind,
    }


def raise_template_error(details: list[dict]) -> None:
    """Raise one TemplateError listing every problem found."""
    first = details[0]
    where = f' (near "{first["context"]}")' if first.get("context") else ""
    raise TemplateError(f"The template has a problem: {first['message']}{where}", details)


# ---- compiling -------------------------------------------------------------------------


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


def _read_entries(archive: zipfile.ZipFile, data: bytes) -> list[Entry]:
    entries = []
    for info in archive.infolist():
        if info.flag_bits & 0x1 or info.compress_type not in (0, 8):
            raise TemplateError("The template is encrypted or uses an unusual zip compression.")
        start = info.header_offset
        name_len, extra_len = struct.unpack("<HH", data[start + 26 : start + 30])
        body = start + 30 + name_len + extra_len
        year, month, day, hour, minute, second = info.date_time
        entries.append(
            Entry(
                info.filename,
                info.compress_type,
                info.CRC,
                data[body : body + info.compress_size],
                info.file_size,
                (hour << 11) | (minute << 5) | (second // 2),
                (max(year - 1980, 0) << 9) | (month << 5) | day,
            )
        )
    return entries


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
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", _DOCXTPL.patch_xml(xml))


def _compile_body(archive, problems) -> tuple[Part, set]:
    root = parse_xml(archive.read("word/document.xml"))
    body = root.find(f"{{{W_NS}}}body")
    if body is None:
        raise TemplateError("The template is not a Word document: it has no body.")
    source = _patched(etree.tostring(body, encoding="unicode"))
    template, variables = _compile(
        "word/document.xml", _label("word/document.xml"), source, problems
    )
    index = list(root).index(body)
    root.remove(body)
    root.insert(index, etree.Comment(_BODY_MARK))
    whole = etree.tostring(root, encoding="unicode")
    prefix, suffix = whole.split(f"<!--{_BODY_MARK}-->")
    part = Part("word/document.xml", "body", source, template, _label("word/document.xml"))
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
        element.text = _PROP_MARK.format(len(props) - 1)
    if not props:
        return None, set()
    part = Part("docProps/core.xml", "core", "", None, _label("docProps/core.xml"), props=props)
    part.prefix = etree.tostring(root, encoding="unicode")
    return part, variables


def compile_docx(data: bytes) -> CompiledDocx:
    """Preprocess and compile every renderable part; raise TemplateError listing problems."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = _read_entries(archive, data)
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
            template, found = _compile(name, _label(name), source, problems)
            variables |= found
            parts[name] = Part(name, "xml", source, template, _label(name))
        for name in _footnote_parts(archive):
            if name not in names:
                continue
            source = _patched(archive.read(name).decode("utf-8"))
            template, found = _compile(name, _label(name), source, problems)
            variables |= found
            parts[name] = Part(name, "footnotes", source, template, _label(name))
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


# ---- rendering -------------------------------------------------------------------------


class _Budget:
    """Counts characters produced across parts, to stop an output that grows too large."""

    def __init__(self, limit: int):
        self.left = limit

    def take(self, text: str) -> None:
        self.left -= len(text)
        if self.left < 0:
            raise RenderLimitError(
                "The document would be too large. Use less data or a shorter template.",
                status=413,
            )


def _run(template, context: dict, budget: _Budget) -> str:
    chunks = []
    for chunk in template.generate(context):
        budget.take(chunk)
        chunks.append(chunk)
    return "".join(chunks)


def _after_render(xml: str) -> str:
    # docxtpl's render_xml_part post-processing, in the same order.
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(ch in xml for ch in "\t\n\a\f"):
        xml = _DOCXTPL.resolve_listing(xml)
    return xml


def _render_part(part: Part, context: dict, budget: _Budget) -> bytes:
    if part.kind == "core":
        text = part.prefix
        for index, (_, _, template) in enumerate(part.props):
            text = text.replace(_PROP_MARK.format(index), _run(template, context, budget))
        return (XML_DECLARATION + text).encode("utf-8")
    xml = _after_render(_run(part.template, context, budget))
    if part.kind == "body":
        helper = DocxTemplate(None)
        helper.docx_ids_index = 1000
        tree = helper.fix_tables(xml)
        helper.fix_docpr_ids(tree)
        # lxml writes the data's braces back as "{": encode them again (see sandbox.py).
        body = etree.tostring(tree, encoding="unicode").replace("{", "&#123;")
        xml = part.prefix + body + part.suffix
    elif part.kind == "xml":
        etree.fromstring(xml.encode("utf-8"))  # a header or footer must still be valid XML
        xml = XML_DECLARATION + xml
    return xml.encode("utf-8")


def render_compiled(compiled: CompiledDocx, context: dict, max_output: int) -> bytes:
    """Render a compiled template with clean data; return the .docx bytes."""
    budget = _Budget(max_output)
    rendered: dict[str, bytes] = {}
    for part in compiled.parts.values():
        try:
            rendered[part.name] = _render_part(part, context, budget)
        except (RenderLimitError, TemplateError, MemoryError, RecursionError):
            raise
        except etree.XMLSyntaxError:
            raise TemplateError(
                f"In {part.label}: the template produced damaged Word XML. Check that "
                "tags such as {%p %} and {%tr %} open and close in the right places.",
                [
                    {
                        "part": part.name,
                        "message": "Damaged Word XML.",
                        "context": "",
                        "kind": "runtime",
                    }
                ],
            ) from None
        except OverflowError:
            raise RenderLimitError(
                f"In {part.label}: the template loops too many times (a range of more than "
                "100,000 items).",
                [
                    {
                        "part": part.name,
                        "message": "Loop too long.",
                        "context": "",
                        "kind": "runtime",
                    }
                ],
            ) from None
        except Exception as exc:  # noqa: BLE001 - any failure inside the template is its error
            source = part.source or (part.props[0][1] if part.props else "")
            raise_template_error([part_error(part.name, part.label, source, exc)])
    return write_zip(compiled.entries, rendered)


def write_zip(entries: list[Entry], replaced: dict[str, bytes]) -> bytes:
    """Write a zip of the entries, recompressing only the replaced ones."""
    out = io.BytesIO()
    central = []
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = 0 if entry.name.isascii() else 0x800
        if entry.name in replaced:
            raw = replaced[entry.name]
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = packer.compress(raw) + packer.flush()
            method, crc, size = 8, zlib.crc32(raw), len(raw)
        else:
            data, method, crc, size = entry.compressed, entry.method, entry.crc, entry.size
        offset = out.tell()
        header = (method, entry.dos_time, entry.dos_date, crc, len(data), size, len(name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, *header, 0))
        out.write(name)
        out.write(data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, *header, 0, 0, 0, 0, 0, offset
            )  # noqa: E501
            + name
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


# ---- inspection (for template checks) --------------------------------------------------


def inspect_docx(data: bytes) -> dict:
    """Return {"problems": [...], "variables": [...], "paths": [...]} for template checks."""
    try:
        compiled = compile_docx(data)
    except TemplateError as exc:
        return {
            "problems": exc.details
            or [{"part": "", "message": exc.message, "context": "", "kind": "file"}],
            "variables": [],
            "paths": {},
        }
    env = document_env()
    paths: dict[str, dict] = {}
    for part in compiled.parts.values():
        if part.kind == "core":
            sources = [(f"{part.name}:{prop}", source) for prop, source, _ in part.props]
        else:
            sources = [(part.name, part.source)]
        for name, source in sources:
            ast = env.parse(source)
            found = data_paths(ast, meta.find_undeclared_variables(ast) - set(env.globals))
            for path, lineno in found.items():
                context = error_context(source, lineno)
                paths.setdefault(path, {"part": name, "context": context})
    return {"problems": [], "variables": sorted(compiled.variables), "paths": paths}


# ---- the worker process ----------------------------------------------------------------

MAX_CACHED = 32
_CACHE: "OrderedDict[str, CompiledDocx | TemplateError]" = OrderedDict()


def _limit_memory(extra_bytes: int) -> None:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        limit = current + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError):
        pass  # no /proc or limit not settable: the time limit still applies


def _compiled(key: str, template: bytes | None):
    if key in _CACHE:
        _CACHE.move_to_end(key)
        found = _CACHE[key]
    elif template is None:
        return None
    else:
        try:
            found = compile_docx(template)
        except TemplateError as exc:
            found = exc
        _CACHE[key] = found
        while len(_CACHE) > MAX_CACHED:
            _CACHE.popitem(last=False)
    if isinstance(found, TemplateError):
        raise found
    return found


def handle(request: dict):
    """Answer one request: ("ok", result) | ("need_template",) | ("error", ...)."""
    try:
        if request["op"] == "inspect":
            return ("ok", inspect_docx(request["template"]))
        compiled = _compiled(request["key"], request.get("template"))
        if compiled is None:
            return ("need_template",)
        if request["op"] == "variables":
            return ("ok", set(compiled.variables))
        return ("ok", render_compiled(compiled, request["context"], request["max_output"]))
    except (TemplateError, RenderLimitError) as exc:
        return ("error", type(exc).__name__, exc.message, exc.details, exc.status)
    except MemoryError:
        return ("fatal", "memory")
    except RecursionError:
        return (
            "error",
            "RenderLimitError",
            "The template calls itself too deeply (recursion). Simplify its macros.",
            [],
            422,
        )
    except Exception as exc:  # noqa: BLE001 - the worker must answer, never die on a bad file
        return (
            "error",
            "TemplateError",
            f"The template could not be used: it may be damaged ({type(exc).__name__}). "
            "Open it in Word, save it again as .docx and try again.",
            [],
            422,
        )


def serve(conn, memory_bytes: int) -> None:
    """Run the worker loop on a connection until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(memory_bytes)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        reply = handle(request)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        if reply[0] == "fatal":
            os._exit(3)  # memory may be fragmented past use: let the parent start a fresh one
