"""API endpoints for documents: the vocabulary, listing, uploads, versions and files."""

from flask import jsonify, request, url_for

from ..documents import service
from ..errors import InvalidInput
from ..web_responses import attachment_response
from . import api_user, bp
from .multipart import require_fields, uploaded_file

MISSING = {
    "file": "Attach the file to upload (a .docx or .md) as the multipart field 'file'.",
    "title": "Enter a title for the document.",
    "doc_type": "Choose a document type (see GET /doc-types).",
    "visibility": "Choose a visibility: shared or internal.",
    "change_note": "Enter a change note saying what changed in this version.",
}


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.get_data():
        raise InvalidInput("invalid_json", "The request body is not valid JSON.", status=400)
    if not isinstance(body, dict):
        raise InvalidInput("invalid_json", "Send a JSON object.", status=400)
    return body


@bp.get("/doc-types")
def api_doc_types():
    """Return the controlled vocabulary of document types."""
    return jsonify(service.doc_types_list())


PAGING = ("sort", "page", "per_page")


@bp.get("/documents")
def api_documents():
    """Return the documents the caller may see, filtered; a page of them when paging is asked."""
    filters = {key: request.args.get(key) or None for key in ("authority", "doc_type", "stage")}
    if not any(request.args.get(key) for key in PAGING):  # the original contract: every one
        documents = service.document_list(api_user(), **filters)
        return jsonify({"documents": [d.as_dict() for d in documents]})
    paging = {key: request.args.get(key) for key in PAGING}
    return jsonify(service.document_page(api_user(), **filters, **paging).as_dict())


@bp.post("/documents")
def api_document_create():
    """Upload a new document (multipart: file, title, doc_type, visibility, ...)."""
    require_fields(MISSING, "file", "title", "doc_type", "visibility")
    data, filename = uploaded_file()
    version = service.document_create(
        api_user(),
        title=request.form["title"],
        doc_type=request.form["doc_type"],
        visibility=request.form["visibility"],
        stage=request.form.get("stage") or None,
        tags=request.form.get("tags", ""),
        change_note=request.form.get("change_note"),
        data=data,
        filename=filename,
    )
    document = service.document_get(api_user(), version.document_id)
    body = {**document.as_dict(), "version": version.number}
    location = url_for(".api_document", document_id=document.id)
    return jsonify(body), 201, {"Location": location}


@bp.get("/documents/<int:document_id>")
def api_document(document_id: int):
    """Return one document with its versions."""
    return jsonify(service.document_get(api_user(), document_id).as_dict())


@bp.patch("/documents/<int:document_id>")
def api_document_update(document_id: int):
    """Change a document's visibility (JSON: {"visibility": "shared" | "internal"})."""
    body = _json_body()
    if "visibility" not in body:
        raise InvalidInput(
            "missing_fields",
            "Some required fields are missing.",
            [{"path": "visibility", "message": MISSING["visibility"]}],
        )
    document = service.document_set_visibility(api_user(), document_id, body["visibility"])
    return jsonify(document.as_dict())


@bp.delete("/documents/<int:document_id>")
def api_document_delete(document_id: int):
    """Withdraw a document; its versions are kept for the audit trail."""
    service.document_delete(api_user(), document_id)
    return "", 204


@bp.post("/documents/<int:document_id>/restore")
def api_document_restore(document_id: int):
    """Restore a withdrawn document (editors of its authority)."""
    return jsonify(service.document_restore(api_user(), document_id).as_dict())


@bp.post("/documents/<int:document_id>/versions")
def api_version_add(document_id: int):
    """Upload a new version of a document (multipart: file, change_note)."""
    service.document_edit_check(api_user(), document_id)  # 404 / 403 before field errors
    require_fields(MISSING, "file", "change_note")
    data, filename = uploaded_file()
    version = service.version_add(
        api_user(), document_id, data, filename, request.form.get("change_note")
    )
    location = url_for(".api_version_file", document_id=document_id, number=version.number)
    return jsonify({**version.as_dict(), "document_id": document_id}), 201, {"Location": location}


@bp.get("/documents/<int:document_id>/versions/<int:number>/file")
def api_version_file(document_id: int, number: int):
    """Return a version's original bytes."""
    chunks, filename, media_type = service.version_stream(api_user(), document_id, number)
    return attachment_response(chunks, filename, media_type)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _multipart(properties: dict, required: list[str]) -> dict:
    schema = {"type": "object", "properties": properties, "required": required}
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}


_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}
_FILE = {"type": "string", "format": "binary", "description": "A .docx or UTF-8 .md file"}
_VERSION = {
    "type": "object",
    "properties": {
        "number": {"type": "integer"},
        "sha256": {"type": "string"},
        "size": {"type": "integer"},
        "filename": {"type": "string"},
        "change_note": {"type": "string"},
        "uploaded_at": {"type": "string", "format": "date-time"},
        "uploaded_by": {"type": "string"},
    },
}
_DOCUMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "authority": {"type": "string", "description": "The authority's slug"},
        "doc_type": {"type": "string"},
        "stage": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": {"type": "string", "enum": ["shared", "internal"]},
        "latest_version": {"type": "integer"},
        "versions": {"type": "array", "items": _VERSION},
    },
}
_REFUSED = _error("Missing fields (code missing_fields) or a refused file or value")
_NOT_FOUND = _error("No such document, or the caller may not see it")
_FORBIDDEN = _error("The caller may see the document but not change it")
_CONFLICT = _error(
    "Code version_conflict: another new version of this document was saved at the same moment; "
    "yours was not saved. Read the document's versions, then upload again if still needed."
)

PATHS = {
    "/doc-types": {
        "get": {
            "summary": "The controlled vocabulary of document types",
            "responses": {
                "200": _json(
                    "Document types in order",
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "slug": {"type": "string"},
                                "label": {"type": "string"},
                                "stage": {"type": "string"},
                            },
                        },
                    },
                )
            },
        }
    },
    "/documents": {
        "get": {
            "summary": "Documents the caller may see",
            "description": (
                "Without sort, page or per_page: every matching document, most recently "
                "updated first, as {documents}. With any of them: one page, as {documents, "
                "total, page, per_page, pages, sort}; a page past the end answers the last."
            ),
            "parameters": [
                *(
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                    for name in ("authority", "doc_type", "stage")
                ),
                {
                    "name": "sort",
                    "in": "query",
                    "required": False,
                    "description": "updated-newest (default), updated-oldest or title",
                    "schema": {"enum": ["updated-newest", "updated-oldest", "title"]},
                },
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1},
                },
                {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "description": "1 to 100, default 25",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
            ],
            "responses": {
                "200": _json(
                    "Documents, in the order asked for (ties broken by id, so pages are stable)",
                    {
                        "type": "object",
                        "required": ["documents"],
                        "properties": {
                            "documents": {"type": "array", "items": _DOCUMENT},
                            "total": {"type": "integer"},
                            "page": {"type": "integer"},
                            "per_page": {"type": "integer"},
                            "pages": {"type": "integer"},
                            "sort": {"type": "string"},
                        },
                    },
                ),
                "400": _error("A bad sort, page or per_page (code invalid_parameter)"),
            },
        },
        "post": {
            "summary": "Upload a new document for the caller's authority (editors)",
            "requestBody": _multipart(
                {
                    "file": _FILE,
                    "title": {"type": "string"},
                    "doc_type": {"type": "string"},
                    "visibility": {"type": "string", "enum": ["shared", "internal"]},
                    "stage": {"type": "string"},
                    "tags": {"type": "string", "description": "Comma-separated"},
                    "change_note": {"type": "string"},
                },
                ["file", "title", "doc_type", "visibility"],
            ),
            "responses": {
                "201": _json("Created; the body adds version: 1", _DOCUMENT),
                "403": _FORBIDDEN,
                "409": _error("Code version_conflict: the database refused a simultaneous change"),
                "413": _error("The file is over the size limit"),
                "422": _REFUSED,
            },
        },
    },
    "/documents/{document_id}": {
        "parameters": [_ID],
        "get": {
            "summary": "One document with its versions",
            "responses": {"200": _json("The document", _DOCUMENT), "404": _NOT_FOUND},
        },
        "patch": {
            "summary": "Share a document or keep it internal (editors of its authority)",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "visibility": {"type": "string", "enum": ["shared", "internal"]}
                            },
                            "required": ["visibility"],
                        }
                    }
                },
            },
            "responses": {
                "200": _json("The document", _DOCUMENT),
                "400": _error("Malformed JSON (code invalid_json)"),
                "403": _FORBIDDEN,
                "404": _NOT_FOUND,
                "422": _REFUSED,
            },
        },
        "delete": {
            "summary": "Withdraw a document (editors of its authority)",
            "responses": {
                "204": {"description": "Withdrawn"},
                "403": _FORBIDDEN,
                "404": _NOT_FOUND,
            },
        },
    },
    "/documents/{document_id}/restore": {
        "parameters": [_ID],
        "post": {
            "summary": "Restore a withdrawn document (editors of its authority)",
            "responses": {
                "200": _json("The document, seen and found again", _DOCUMENT),
                "403": _FORBIDDEN,
                "404": _NOT_FOUND,
                "409": _error("Code not_withdrawn: the document has not been withdrawn"),
            },
        },
    },
    "/documents/{document_id}/versions": {
        "parameters": [_ID],
        "post": {
            "summary": "Upload version n+1 of a document (editors of its authority)",
            "requestBody": _multipart(
                {"file": _FILE, "change_note": {"type": "string"}}, ["file", "change_note"]
            ),
            "responses": {
                "201": _json("The new version", _VERSION),
                "403": _FORBIDDEN,
                "404": _NOT_FOUND,
                "409": _CONFLICT,
                "413": _error("The file is over the size limit"),
                "422": _REFUSED,
            },
        },
    },
    "/documents/{document_id}/versions/{number}/file": {
        "parameters": [_ID, _NUMBER],
        "get": {
            "summary": "The version's original file, byte for byte",
            "responses": {
                "200": {
                    "description": "The file, as an attachment",
                    "content": {"application/octet-stream": {"schema": _FILE}},
                },
                "404": _NOT_FOUND,
                "500": _error("The stored file failed its sha256 check (code blob_corrupted)"),
            },
        },
    },
}
