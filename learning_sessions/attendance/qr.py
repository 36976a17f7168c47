"""The check-in QR code as an SVG that can sit inline in a page under the strict CSP.

Built from the `qrcode` library's module matrix (the encoding, error correction and
masking are the library's), written as one <path> with presentation attributes only:
no <style>, no style="" and no script, so `style-src 'self'` is satisfied, and the
markup is ours, so nothing in it comes from user input except the URL's encoding.
"""

from __future__ import annotations

import qrcode
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from qrcode.constants import ERROR_CORRECT_M

#: Modules of quiet zone around the code (the standard asks for four).
BORDER = 4


def qr_svg(data: str, *, title: str) -> SafeString:
    """An <svg> of a QR code encoding `data`, labelled `title` for screen readers."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    size = len(matrix)
    parts = [
        f"M{x},{y}h1v1h-1z" for y, line in enumerate(matrix) for x, dark in enumerate(line) if dark
    ]
    return mark_safe(  # noqa: S308 - every interpolated value is a number or escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'class="check-in-qr" role="img" aria-labelledby="check-in-qr-title" '
        f'shape-rendering="crispEdges"><title id="check-in-qr-title">{escape(title)}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )
