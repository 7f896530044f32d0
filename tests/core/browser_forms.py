"""What a browser would send for a page's form, read from the page's HTML.

It follows the HTML Living Standard's "constructing the entry list" and each input type's value
sanitisation, which is where a wrongly formatted value is lost without a word: an
``<input type="date" value="17/05/1960">`` shows empty and submits nothing, and a text area sends
its line breaks as CRLF. Tests post this back to see that a form keeps what it was given.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_DATE = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})$")
_DATETIME_LOCAL = re.compile(r"^(\d{4,}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(\.\d{1,3})?)?$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$")
_NOT_SENT = {"submit", "button", "image", "reset", "file"}


def _valid_date(value: str) -> bool:
    match = _DATE.match(value)
    if not match:
        return False
    try:
        dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def sanitise(input_type: str, value: str) -> str:
    """The value a browser keeps for an input of ``input_type`` given ``value`` in the HTML."""
    if input_type == "date":
        return value if _valid_date(value) else ""
    if input_type == "datetime-local":
        match = _DATETIME_LOCAL.match(value)
        if not match or not _valid_date(match[1]):
            return ""
        seconds = "" if not match[3] or (match[3] == "00" and not match[4]) else f":{match[3]}"
        return f"{match[1]}T{match[2]}{seconds}{match[4] or ''}"
    if input_type == "time":
        return value if _TIME.match(value) else ""
    if input_type == "number":
        try:
            float(value)
        except ValueError:
            return ""
        return value
    if input_type == "email":
        return value.replace("\r", "").replace("\n", "").strip()
    # text, search, tel, url, password, hidden: line breaks are stripped.
    return value.replace("\r", "").replace("\n", "")


@dataclass
class _Select:
    name: str
    multiple: bool
    disabled: bool
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # value, selected, disabled


@dataclass
class Form:
    attrs: dict[str, str]
    entries: list[tuple[str, str]] = field(default_factory=list)
    submitters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    @property
    def method(self) -> str:
        return self.attrs.get("method", "get").lower()

    def data(self, *, submitter: tuple[str, str] | None = None) -> dict[str, list[str]]:
        """The entry list as the test client's ``data``: each name with its values in order."""
        found: dict[str, list[str]] = {}
        for name, value in [*self.entries, *([submitter] if submitter else [])]:
            found.setdefault(name, []).append(value)
        return found


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: _Select | None = None
        self._option: dict[str, str | None] | None = None
        self._option_text: list[str] = []
        self._textarea: dict[str, str | None] | None = None
        self._textarea_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = Form(attrs={k: v or "" for k, v in a.items()})
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input":
            self._input(a)
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            if kind == "submit" and a.get("name"):
                self._form.submitters.append((a["name"] or "", a.get("value") or ""))
        elif tag == "select":
            self._select = _Select(
                name=a.get("name") or "", multiple="multiple" in a, disabled="disabled" in a
            )
        elif tag == "option" and self._select is not None:
            self._finish_option()
            self._option = a
            self._option_text = []
        elif tag == "textarea":
            self._textarea = a
            self._textarea_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option_text.append(data)
        if self._textarea is not None:
            self._textarea_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._finish_option()
        elif tag == "select" and self._select is not None:
            self._finish_option()
            self._finish_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._finish_textarea(self._textarea, "".join(self._textarea_text))
            self._textarea = None

    def _input(self, a: dict[str, str | None]) -> None:
        assert self._form is not None
        kind = (a.get("type") or "text").lower()
        name = a.get("name")
        if kind == "submit" and name:
            self._form.submitters.append((name, a.get("value") or ""))
        if not name or "disabled" in a or kind in _NOT_SENT:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.entries.append((name, a.get("value") or "on"))
            return
        self._form.entries.append((name, sanitise(kind, a.get("value") or "")))

    def _finish_option(self) -> None:
        if self._option is None or self._select is None:
            return
        text = " ".join("".join(self._option_text).split())
        value = self._option.get("value")
        self._select.options.append(
            (
                text if value is None else value,
                "selected" in self._option,
                "disabled" in self._option,
            )
        )
        self._option = None

    def _finish_select(self, select: _Select) -> None:
        if self._form is None or not select.name or select.disabled:
            return
        chosen = [
            value for value, selected, disabled in select.options if selected and not disabled
        ]
        if not select.multiple:
            if chosen:
                chosen = chosen[-1:]
            else:
                # A drop-down shows (and sends) its first option when none is selected.
                first = next((v for v, _, disabled in select.options if not disabled), None)
                chosen = [first] if first is not None else []
        self._form.entries.extend((select.name, value) for value in chosen)

    def _finish_textarea(self, a: dict[str, str | None], text: str) -> None:
        name = a.get("name")
        if self._form is None or not name or "disabled" in a:
            return
        if text.startswith("\n"):  # the parser drops a newline straight after <textarea>
            text = text[1:]
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        self._form.entries.append((name, text))


def forms_in(html: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


def page_form(html: str, *, action: str = "") -> Form:
    """The page's one form that posts to ``action`` (``""``: to the page itself), leaving out the
    header's sign-out form."""
    found = [
        f
        for f in forms_in(html)
        if f.method == "post" and f.action == action and not f.action.endswith("/logout/")
    ]
    assert len(found) == 1, f"expected one form posting to {action!r}, found {len(found)}"
    return found[0]
