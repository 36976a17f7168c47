"""Every PDF of the product is rendered by WeasyPrint through here, and may fetch
almost nothing while it renders (certificates, transcripts, the sponsor progress
report).

A PDF's HTML carries text that staff and participants typed (escaped by the
template), so a URL in it must never make the server fetch something: not a web
address (SSRF: the cloud metadata address, services on 127.0.0.1), not a file on the
disk (file:///etc/passwd), not another program's uploads. The fetcher allows exactly
three kinds of URL and refuses every other one with an error, which WeasyPrint turns
into a missing image (the PDF is still made):

- ``data:`` URIs (the QR code is embedded as one);
- ``static:<path>``: one of the project's own static files, found by the staticfiles
  finders (or in STATIC_ROOT once collected), never outside them;
- ``upload:<name>``: a file in the default storage whose name was handed to the
  fetcher by the renderer (e.g. the logo and signature of the certificate template
  being rendered), read through ``default_storage``; any other stored file is refused.

Importing this module loads WeasyPrint (slow, and large): callers import it inside
the function that renders, so that a web or beat process that never renders a PDF
does not pay for it.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"
UPLOAD_SCHEME = "upload:"
#: Nothing a PDF uses is larger (a certificate's logo is at most 1 MB).
MAX_FETCH_BYTES = 2 * 1024 * 1024


class RefusedURL(ValueError):
    """A URL a PDF renderer may not fetch."""


def _clean_relative(path: str) -> str:
    """`path` as a plain relative path, or RefusedURL: no '..', no absolute path, no
    backslashes, no empty or dot segments, no NUL."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        raise RefusedURL("Not a plain relative path.")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise RefusedURL("Not a plain relative path.")
    return posixpath.normpath(path)


def _static_file(path: str) -> Path:
    """The file of the static file `path`, only from the project's static files."""
    path = _clean_relative(path)
    found = finders.find(path)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / path).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise RefusedURL(f"No static file {path}.")


class OwnFilesFetcher(URLFetcher):
    """The renderers' URL fetcher (see the module's text). `upload_names` are the
    stored files this rendering may read (e.g. a certificate template's logo)."""

    def __init__(self, upload_names: Iterable[str] = (), **kwargs) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
        self._upload_names = frozenset(name for name in upload_names if name)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(STATIC_SCHEME):
            file = _static_file(url.removeprefix(STATIC_SCHEME))
            return self._response(url, file.read_bytes(), str(file))
        if url.startswith(UPLOAD_SCHEME):
            name = _clean_relative(url.removeprefix(UPLOAD_SCHEME))
            if name not in self._upload_names:
                raise RefusedURL("Not a file of this document.")
            with default_storage.open(name, "rb") as handle:
                body = handle.read(MAX_FETCH_BYTES + 1)
            if len(body) > MAX_FETCH_BYTES:
                raise RefusedURL("The file is too large.")
            return self._response(url, body, name)
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        raise RefusedURL("PDFs fetch nothing but data:, static: and upload: URLs.")

    @staticmethod
    def _response(url: str, body: bytes, name: str) -> URLFetcherResponse:
        content_type = mimetypes.guess_type(name)[0]
        if content_type is None:  # uploads are stored without an extension
            content_type = _sniff_image(body)
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _sniff_image(body: bytes) -> str:
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if body.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return "application/octet-stream"


def upload_url(name: str) -> str:
    """The URL a PDF's HTML uses for the stored file `name`."""
    return f"{UPLOAD_SCHEME}{name}"


_per_thread = threading.local()


def weasyprint_shared(stylesheet_url: str) -> tuple[Any, list[Any]]:
    """(font configuration, [stylesheet]) made once per thread and stylesheet (Pango's
    font objects are not shared between threads) and reused by every rendering:
    loading the fonts and parsing the stylesheet again for each PDF costs about a third
    of a certificate's time. The stylesheet (a ``static:`` URL) is read through the
    fetcher."""
    cache = getattr(_per_thread, "shared", None)
    if cache is None:
        cache = _per_thread.shared = {}
    shared = cache.get(stylesheet_url)
    if shared is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        stylesheet = CSS(url=stylesheet_url, url_fetcher=OwnFilesFetcher(), font_config=font_config)
        shared = cache[stylesheet_url] = (font_config, [stylesheet])
    return shared


def html_to_pdf(html: str, *, stylesheet_url: str, upload_names: Iterable[str] = ()) -> bytes:
    """PDF bytes of `html` with the stylesheet at `stylesheet_url`, fetching only what
    `OwnFilesFetcher` allows (and of the stored files only `upload_names`)."""
    from weasyprint import HTML

    font_config, stylesheets = weasyprint_shared(stylesheet_url)
    document = HTML(
        string=html, base_url="data:,", url_fetcher=OwnFilesFetcher(upload_names=upload_names)
    )
    return document.write_pdf(font_config=font_config, stylesheets=stylesheets)
