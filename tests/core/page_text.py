"""The words a person reads in parts of a page, found by class, as plain text."""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _ByClass(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.found: list[str] = []
        self._open: list[tuple[int, list[str]]] = []  # (depth at which it opened, its text)
        self._depth = 0
        self._skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _VOID:
            return
        self._depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if self.css_class in classes:
            self._open.append((self._depth, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        if tag in _VOID:
            return
        if self._open and self._open[-1][0] == self._depth:
            _, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            self.found.append(text)
            if self._open:
                self._open[-1][1].append(f" {text} ")
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self._open[-1][1].append(data)


def texts(html: str, css_class: str) -> list[str]:
    """The text of every element with ``css_class``, in page order of their ends."""
    parser = _ByClass(css_class)
    parser.feed(html)
    parser.close()
    return parser.found


def text(html: str, css_class: str) -> str:
    return " | ".join(texts(html, css_class))
