"""Links to a participant's credit pages, for e-mails and the transcript."""

from django.urls import reverse

from core.emails import absolute_url


def my_credit_path() -> str:
    """The participant's "My credit" page, as a path (where their notices open)."""
    return reverse("certificates:my_credit")


def my_credit_url() -> str:
    return absolute_url(my_credit_path())


def download_url(code: str) -> str:
    """Where the participant downloads the PDF of the certificate `code`."""
    return absolute_url(reverse("certificates:certificate_pdf", kwargs={"certificate_code": code}))
