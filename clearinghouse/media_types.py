"""The media types the service reads and sends, named once (core: features import these)."""

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
MARKDOWN = "text/markdown; charset=utf-8"
