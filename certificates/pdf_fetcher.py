"""What WeasyPrint may fetch while it renders a certificate: almost nothing.

A certificate's HTML carries text that staff and participants typed (escaped by the
template), so a URL in it must never make the server fetch something: not a web
address (SSRF: the cloud metadata address, services on 127.0.0.1), not a file on the
disk (file:///etc/passwd), not another program's uploads. The fetcher allows exactly
three kinds of URL and refuses every other one with an error, which WeasyPrint turns
into a missing image (the PDF is still made):

- ``data:`` URIs (the QR code is embedded as one);
- ``static:<path>``: one of the project's own static files, found by the staticfiles
  finders (or in STATIC_ROOT once collected), never outside them;
- ``upload:<name>``: a file in the default storage whose name was handed to the
  fetcher by the renderer (the logo and signature of the template being rendered),
  read through ``default_storage``; any other stored file is refused.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"
UPLOAD_SCHEME = "upload:"
#: Nothing a certificate uses is larger (a logo is at most 1 MB).
MAX_FETCH_BYTES = 2 * 1024 * 1024


class RefusedURL(ValueError):
    """A URL the certificate renderer may not fetch."""


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


class CertificateFetcher(URLFetcher):
    """The renderer's URL fetcher (see the module's text). `upload_names` are the
    stored files this rendering may read (the template's logo and signature)."""

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
                raise RefusedURL("Not a file of this certificate's template.")
            with default_storage.open(name, "rb") as handle:
                body = handle.read(MAX_FETCH_BYTES + 1)
            if len(body) > MAX_FETCH_BYTES:
                raise RefusedURL("The file is too large.")
            return self._response(url, body, name)
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        raise RefusedURL("Certificates fetch nothing but data:, static: and upload: URLs.")

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
    """The URL the certificate's HTML uses for the stored file `name`."""
    return f"{UPLOAD_SCHEME}{name}"
