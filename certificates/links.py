"""Links to a participant's credit pages, for e-mails and the transcript.

"My credit" and the certificate download are the participant's pages (built with the
claims); their paths are fixed here, in one place, so the e-mails need nothing else.
"""

from core.emails import absolute_url

MY_CREDIT_PATH = "/credit/"


def my_credit_url() -> str:
    return absolute_url(MY_CREDIT_PATH)


def download_url(code: str) -> str:
    """Where the participant downloads the PDF of the certificate `code`."""
    return absolute_url(f"/credit/certificates/{code}/pdf")
