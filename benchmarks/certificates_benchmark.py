"""Render 1,000 certificates with 2 worker processes, next to WeasyPrint alone.

Run from the repository root, against an empty PostgreSQL database of its own:

    createdb qi_cert_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qi_cert_bench \\
        .venv/bin/python benchmarks/certificates_benchmark.py [--certificates 1000]

Workers: a multiprocessing pool of 2 processes (not Celery workers), each running the
Celery task's own code (`certificates.tasks.render_certificate`, called in-process) on
its half of the pending certificates: read the row, build the HTML (QR code
included), WeasyPrint with the project's URL fetcher, store the PDF through the
storage API (a temporary MEDIA_ROOT), mark it issued and queue the e-mail (to the
outbox; the e-mail backend is in-memory). Then the same 2 processes render the very
same HTML strings with WeasyPrint alone (same fetcher, nothing else). It prints both
totals and their ratio; targets: under 20 s, within 1.5x of WeasyPrint alone.

The script migrates the database, seeds a program with one published template (logo
included), an AMA PRA offer and 1,000 participants' claims once, and resets the
certificates to pending before each run. It refuses a database holding anything else.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_setup import start_django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
#: The benchmark's own media directory (kept between runs: the seeded logo lives there).
os.environ.setdefault(
    "MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "qi-certificate-benchmark-media")
)
os.environ["REDIS_URL"] = ""  # Celery eager, no broker: the outbox e-mail is queued in-process
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

BENCH_SLUGS = ("certificate-benchmark",)
BENCH_DOMAIN = "certificate-benchmark.invalid"
WORKERS = 2


def seed(n: int) -> None:
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    from accounts.models import Program, User
    from certificates.models import Certificate, CertificateTemplate, CreditClaim, CreditOffer
    from collaboratives.models import Collaborative, CollaborativeStatus
    from core import clock

    program = Program.objects.create(name="Certificate Benchmark", slug=BENCH_SLUGS[0])
    collaborative = Collaborative.objects.create(
        program=program,
        title="Reducing time to antibiotics in pediatric sepsis",
        slug="benchmark",
        status=CollaborativeStatus.ACTIVE,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    logo = BytesIO()
    Image.new("RGB", (240, 80), (31, 78, 121)).save(logo, format="PNG")
    template = CertificateTemplate(
        program=program,
        version=1,
        signer_name="Dr. Morgan Reyes",
        signer_title="Director of Continuing Education",
        body="This certifies that",
        footer="Keep this certificate for six years.",
        published_at=clock.now(),
    )
    template.logo.save("logo", ContentFile(logo.getvalue()), save=False)
    template.save()
    offer = CreditOffer.objects.create(
        program=program,
        collaborative=collaborative,
        credit_type="ama_pra_1",
        provider_name="Benchmark Children's Hospital",
        accreditation_statement=(
            "Benchmark Children's Hospital is accredited by the Accreditation Council for "
            "Continuing Medical Education (ACCME) to provide continuing medical education "
            "for physicians."
        ),
        designation_statement=(
            "Benchmark Children's Hospital designates this live activity for a maximum of "
            "20 AMA PRA Category 1 Credit(s)™. Physicians should claim only the credit "
            "commensurate with the extent of their participation in the activity."
        ),
        max_amount=Decimal(20),
        is_published=True,
    )
    users = User.objects.bulk_create(
        User(email=f"p{i}@{BENCH_DOMAIN}", full_name=f"Participant {i:04d}, MD") for i in range(n)
    )
    now = clock.now()
    claims = CreditClaim.objects.bulk_create(
        CreditClaim(
            program=program,
            offer=offer,
            user=user,
            amount=Decimal("12.25"),
            completion_date=date(2026, 10, 30),
            claimed_at=now,
        )
        for user in users
    )
    Certificate.objects.bulk_create(
        Certificate(
            program=program,
            offer=offer,
            claim=claim,
            user_id=claim.user_id,
            recipient_name=f"Participant {i:04d}, MD",
            activity_title=collaborative.title,
            credit_type=offer.credit_type,
            amount=claim.amount,
            completion_date=claim.completion_date,
            template=template,
            issued_at=now,
        )
        for i, claim in enumerate(claims)
    )


def _worker_start() -> None:
    """Each process: its own Django and database connection (no migrate, no checks)."""
    import logging

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def _render_task(ids: list[int]) -> int:
    """The Celery task's code, in this process, for each certificate of `ids`."""
    from certificates.tasks import render_certificate

    return sum(render_certificate(pk) == "issued" for pk in ids)


def _weasyprint_alone(job: tuple[list[str], list[str]]) -> int:
    from weasyprint import HTML

    from certificates.rendering import weasyprint_shared
    from core.pdf import OwnFilesFetcher

    htmls, upload_names = job
    fetcher = OwnFilesFetcher(upload_names=upload_names)
    # The same WeasyPrint call the renderer makes (fonts and stylesheet loaded once).
    font_config, stylesheets = weasyprint_shared()
    for html in htmls:
        document = HTML(string=html, base_url="data:,", url_fetcher=fetcher)
        document.write_pdf(font_config=font_config, stylesheets=stylesheets)
    return len(htmls)


def _halves(items: list) -> list[list]:
    return [items[i::WORKERS] for i in range(WORKERS)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    args = parser.parse_args()
    start_django(BENCH_SLUGS, BENCH_DOMAIN)
    from django.db import connections

    from certificates.models import Certificate, CertificateStatus
    from certificates.rendering import certificate_html
    from core.models import OutboundEmail

    if not Certificate.objects.filter(program__slug=BENCH_SLUGS[0]).exists():
        seed(args.certificates)
    certificates = Certificate.objects.filter(program__slug=BENCH_SLUGS[0]).order_by("pk")
    certificates.update(
        status=CertificateStatus.PENDING, pdf="", render_attempts=0, rendered_at=None
    )
    OutboundEmail.objects.filter(to_email__endswith=f"@{BENCH_DOMAIN}").delete()
    ids = list(certificates.values_list("pk", flat=True)[: args.certificates])
    first = certificates.select_related("template", "offer").first()
    if not first.template.logo.storage.exists(first.template.logo.name):
        sys.exit(
            f"The seeded logo is missing from {os.environ['MEDIA_ROOT']}: recreate the database."
        )
    upload_names = [first.template.logo.name, first.template.signature.name]
    htmls = [
        certificate_html(certificate)
        for certificate in certificates.select_related("offer", "template")[: args.certificates]
    ]
    connections.close_all()  # the children open their own

    context = multiprocessing.get_context("fork")
    with context.Pool(WORKERS, initializer=_worker_start) as pool:
        # Warm both processes up (fonts, stylesheet, the task's code path) off the clock.
        pool.map(_weasyprint_alone, [(htmls[:2], upload_names)] * WORKERS)

        start = time.perf_counter()
        rendered = sum(pool.map(_render_task, _halves(ids)))
        full = time.perf_counter() - start

        start = time.perf_counter()
        pool.map(_weasyprint_alone, [(half, upload_names) for half in _halves(htmls)])
        alone = time.perf_counter() - start

    n = len(ids)
    emails = OutboundEmail.objects.filter(to_email__endswith=f"@{BENCH_DOMAIN}").count()
    print(f"Certificates rendered by the task code, {WORKERS} processes: {rendered}/{n}")
    print(f"  stored PDFs: {certificates.exclude(pdf='').count()}, e-mails queued: {emails}")
    print(
        f"Full task (read, HTML, QR, WeasyPrint, store, e-mail): {full:6.2f} s "
        f"({full / n * 1000:.1f} ms per certificate)"
    )
    print(
        f"WeasyPrint alone, same HTML, same {WORKERS} processes:      {alone:6.2f} s "
        f"({alone / n * 1000:.1f} ms per certificate)"
    )
    print(f"Ratio full / WeasyPrint alone: {full / alone:.2f} (target <= 1.5)")
    print(
        f"Target < 20 s: {'met' if full < 20 else 'NOT met'}; "
        f"CPUs on this machine: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
