"""No template a browser is served holds inline script, an event-handler attribute, a style
attribute or a <style> element: the Content-Security-Policy (core/headers.py) would refuse them,
and the page would quietly lose what they did. Scripts go in assets/src/*.js, styles in
assets/src/waypoint.css."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
# Drawn into PDFs by WeasyPrint, never sent to a browser: their <style> is how WeasyPrint is styled.
PDF_ONLY = {
    "care_plan_pdf.html",
    "resource_pack_pdf.html",
    "portal_invitation_letter_pdf.html",
}

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']\s*javascript:""", re.IGNORECASE)


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html") if p.name not in PDF_ONLY)


def test_templates_hold_no_inline_script_style_or_handler() -> None:
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("event-handler attribute", EVENT_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("<style> element", STYLE_ELEMENT),
            ("javascript: URL", JAVASCRIPT_URL),
        ]:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(SRC)}:{line}: {name}")
    assert _templates(), "no templates found"
    assert not found, "\n".join(found)


def test_the_pdf_exceptions_are_only_rendered_to_pdf() -> None:
    """The templates allowed a <style> are rendered by the PDF builders alone."""
    users = {
        name: [
            p.relative_to(SRC).as_posix()
            for p in SRC.rglob("*.py")
            if name in p.read_text(encoding="utf-8")
        ]
        for name in PDF_ONLY
    }
    assert users == {
        "care_plan_pdf.html": ["waypoint/assessments/care_plans.py"],
        "resource_pack_pdf.html": ["waypoint/support/resource_pack.py"],
        "portal_invitation_letter_pdf.html": ["waypoint/workspace/portal_invitations.py"],
    }
