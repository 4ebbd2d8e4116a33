"""A walker for the case journey through the Flask test client: it reads each page's forms
as a browser would (hidden fields, the sealed case) and presses buttons by their text."""

import re
from html import unescape
from html.parser import HTMLParser


class _Forms(HTMLParser):
    """Collect each form's action, hidden and filled fields, and its submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._button: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": [], "buttons": []})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("type") in ("hidden", "text", "email", None):
            self.forms[-1]["fields"].append((attrs.get("name"), attrs.get("value", "")))
        elif tag == "input" and attrs.get("type") in ("radio", "checkbox") and "checked" in attrs:
            self.forms[-1]["fields"].append((attrs.get("name"), attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.forms[-1]["fields"].append((self._textarea, ""))
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.forms[-1]["fields"].append((self._select, attrs.get("value", "")))
        elif tag == "button":
            self._button = {
                "name": attrs.get("name"),
                "value": attrs.get("value", ""),
                "formaction": attrs.get("formaction"),
                "text": "",
            }
            self.forms[-1]["buttons"].append(self._button)

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)


class Walker:
    """Drive the journey: open pages, fill fields by name, press buttons by their text."""

    def __init__(self, client):
        self.client = client
        self.response = None

    @property
    def html(self) -> str:
        return self.response.get_data(as_text=True)

    @property
    def text(self) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", self.html)).split())

    def get(self, url: str):
        self.response = self.client.get(url)
        return self.response

    def forms(self) -> list[dict]:
        parser = _Forms()
        parser.feed(self.html)
        return parser.forms

    def press(self, text: str, fill: dict | None = None, files: dict | None = None, nth: int = 0):
        """Press the nth button whose text starts with ``text``, with fields filled."""
        found = [
            (form, button)
            for form in self.forms()
            for button in form["buttons"]
            if " ".join(button["text"].split()).startswith(text)
        ]
        assert found, f"no button {text!r} on the page: {self.text[:400]}"
        form, button = found[nth]
        data = [(k, v) for k, v in form["fields"] if k]
        names = set((fill or {}).keys())
        data = [(k, v) for k, v in data if k not in names]
        for key, value in (fill or {}).items():
            for one in value if isinstance(value, list) else [value]:
                data.append((key, one))
        if button["name"]:
            data.append((button["name"], button["value"]))
        body: dict = {}
        for key, value in data:
            body.setdefault(key, []).append(value)
        if files:
            body.update(files)
        self.response = self.client.post(
            button["formaction"] or form["action"],
            data=body,
            content_type="multipart/form-data" if files else None,
        )
        return self.response
