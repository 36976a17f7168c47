"""Every template keeps to what the Content-Security-Policy allows.

The policy (config/settings.py, CONTENT_SECURITY_POLICY) blocks inline scripts without
the request's nonce, event-handler attributes (onclick="..."), javascript: URLs,
style="" attributes and <style> elements without the nonce. A template that uses one
would work in a test client and break silently in browsers, so each is found here, in
templates/ and in every app's own templates/ folder. E-mail templates and the
templates of PDFs (named *_pdf.html) are exempt from the style rules only: mail
clients and WeasyPrint read them, not a browser under the policy, and both need
inline styles.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "staticfiles", ".git", "run"}

TAG = re.compile(r"<(?!!--)[a-zA-Z][^>]*>", re.S)
SCRIPT_OPEN = re.compile(r"<script\b[^>]*>", re.I | re.S)
STYLE_OPEN = re.compile(r"<style\b[^>]*>", re.I | re.S)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
JS_URL = re.compile(r"javascript\s*:", re.I)
NONCE = re.compile(r"\snonce\s*=", re.I)


def template_files() -> list[Path]:
    """templates/ and <app>/templates/ of this repository (never third-party code)."""
    found = []
    for folder in ROOT.rglob("templates"):
        if not folder.is_dir() or SKIP_DIRS & set(folder.relative_to(ROOT).parts):
            continue
        found.extend(p for p in folder.rglob("*") if p.suffix in {".html", ".svg", ".txt"})
    return sorted(found)


def violations(text: str, *, email: bool = False) -> list[str]:
    """What in `text` the policy would block, one line each."""
    problems = []
    for match in SCRIPT_OPEN.finditer(text):
        tag = match.group(0)
        if "src=" not in tag and not NONCE.search(tag):
            problems.append(f"inline script without nonce: {tag}")
    for match in TAG.finditer(text):
        tag = match.group(0)
        if HANDLER.search(tag):
            problems.append(f"event-handler attribute: {tag[:80]}")
        if not email and STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute: {tag[:80]}")
    if JS_URL.search(text):
        problems.append("javascript: URL")
    if not email:
        for match in STYLE_OPEN.finditer(text):
            if not NONCE.search(match.group(0)):
                problems.append(f"<style> without nonce: {match.group(0)}")
    return problems


def test_the_scan_finds_what_the_policy_blocks():
    assert violations("<script>alert(1)</script>")
    assert violations('<button onclick="go()">Go</button>')
    assert violations('<a href="JavaScript:history.back()">Back</a>')
    assert violations('<input style="max-width:5rem">')
    assert violations("<style>body{}</style>")
    assert violations('<a\n  class="x"\n  onmouseover="x()">')
    assert not violations('<script src="/static/js/app.js" defer></script>')
    assert not violations('<script nonce="{{ request.csp_nonce }}">go()</script>')
    assert not violations('<input data-once="1" class="one"> <p>Style it: on=ok</p>')
    assert not violations('<td style="padding:0">', email=True)


def test_templates_keep_to_the_policy():
    files = template_files()
    assert any(p.name == "base.html" for p in files)
    problems = []
    for file in files:
        relative = file.relative_to(ROOT)
        offline = "emails" in relative.parts or file.stem.endswith("_pdf")
        for problem in violations(file.read_text(encoding="utf-8"), email=offline):
            problems.append(f"{relative}: {problem}")
    assert not problems, "\n".join(problems)
