"""Render 1,000 certificates with 2 worker processes, next to WeasyPrint alone.

Run from the repository root, against an empty PostgreSQL database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qi_cert_bench \\
        .venv/bin/python benchmarks/certificates_benchmark.py [--certificates 1000] [--one-by-one]

Workers: a multiprocessing pool of 2 processes (not Celery workers), each on its half
of the pending certificates, running the product's own code in-process:

* by default, the bulk issue's rendering (`certificates.tasks.render_pending`, what
  `certificates.bulk` calls for each chunk of `bulk.CHUNK` claims): read the rows,
  build one HTML document for the chunk (QR codes included), lay it out once with
  WeasyPrint and the project's URL fetcher, write each page as its own PDF;
* with --one-by-one, the single-certificate task (`certificates.tasks.render_certificate`,
  what issuing one certificate queues): one HTML document and one layout each.

Then, for each certificate, store the PDF through the storage API (MEDIA_ROOT, a
temporary directory), mark it issued and queue the e-mail: rendered into the outbox
and its sending task published to Celery (an in-memory broker here), which is what a
worker does; the sending is another task on another worker, as in production, so it
is not run inside the render (Celery's eager mode would run it).

Then the same 2 processes give the very same HTML strings to WeasyPrint alone (same
fetcher, same calls: one layout per document, one PDF per certificate) and nothing
else. It prints both wall-clock totals, the CPU seconds the workers spent, and their
ratios; targets: under 20 s, within 1.5x of WeasyPrint alone.

The script creates and migrates the database, seeds a program with one published
template (logo included), an AMA PRA offer and 1,000 participants' claims once, and
resets the certificates to pending before each run. It refuses a database holding
anything else.
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
os.environ["REDIS_URL"] = ""  # no Redis: the workers publish to an in-memory broker
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
    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("kombu").setLevel(logging.ERROR)

    from config.celery import app

    # Publish the e-mail's sending task instead of running it inside the render.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _render_task(job: tuple[list[int], bool]) -> tuple[int, float]:
    """The product's rendering code, in this process: (certificates issued, CPU s)."""
    from certificates.bulk import CHUNK
    from certificates.models import CertificateStatus
    from certificates.tasks import render_certificate, render_pending

    ids, one_by_one = job
    cpu = time.process_time()
    if one_by_one:
        issued = sum(render_certificate(pk) == CertificateStatus.ISSUED for pk in ids)
    else:
        issued = sum(
            status == CertificateStatus.ISSUED
            for chunk in _chunks(ids, CHUNK)
            for status in render_pending(chunk).values()
        )
    return issued, time.process_time() - cpu


def _weasyprint_alone(job: tuple[list[tuple[str, int]], list[str]]) -> tuple[int, float]:
    """WeasyPrint alone on (HTML, pages) documents, the renderer's calls:
    (PDFs written, CPU s)."""
    from weasyprint import HTML

    from certificates.rendering import weasyprint_shared
    from core.pdf import OwnFilesFetcher

    documents, upload_names = job
    cpu = time.process_time()
    fetcher = OwnFilesFetcher(upload_names=upload_names)
    font_config, stylesheets = weasyprint_shared()
    written = 0
    for html, pages in documents:
        document = HTML(string=html, base_url="data:,", url_fetcher=fetcher)
        if pages == 1:
            document.write_pdf(font_config=font_config, stylesheets=stylesheets)
            written += 1
            continue
        laid_out = document.render(font_config=font_config, stylesheets=stylesheets)
        for page in laid_out.pages:
            laid_out.copy([page]).write_pdf()
            written += 1
    return written, time.process_time() - cpu


def _halves(items: list) -> list[list]:
    return [items[i::WORKERS] for i in range(WORKERS)]


def _timed(pool, function, jobs) -> tuple[int, float, float]:
    """(items, wall-clock s, CPU s of the workers) of running `jobs` on the pool."""
    start = time.perf_counter()
    results = pool.map(function, jobs)
    return sum(r[0] for r in results), time.perf_counter() - start, sum(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument(
        "--one-by-one", action="store_true", help="the single-certificate task, not batches"
    )
    args = parser.parse_args()
    start_django(BENCH_SLUGS, BENCH_DOMAIN)
    from django.db import connections

    from certificates.bulk import CHUNK
    from certificates.models import Certificate, CertificateStatus
    from certificates.rendering import certificates_html, facts_of
    from core.models import OutboundEmail

    if not Certificate.objects.filter(program__slug=BENCH_SLUGS[0]).exists():
        seed(args.certificates)
    certificates = Certificate.objects.filter(program__slug=BENCH_SLUGS[0]).order_by("pk")
    certificates.update(
        status=CertificateStatus.PENDING, pdf="", render_attempts=0, rendered_at=None
    )
    OutboundEmail.objects.filter(to_email__endswith=f"@{BENCH_DOMAIN}").delete()
    rows = list(certificates.select_related("offer", "template")[: args.certificates])
    ids = [row.pk for row in rows]
    template = rows[0].template
    if not template.logo.storage.exists(template.logo.name):
        sys.exit(
            f"The seeded logo is missing from {os.environ['MEDIA_ROOT']}: recreate the database."
        )
    upload_names = [template.logo.name, template.signature.name]
    size = 1 if args.one_by_one else CHUNK
    # Each worker's half, cut the way the product cuts it (chunks of CHUNK, or one).
    halves = _halves(ids)
    by_id = {row.pk: row for row in rows}
    documents = [
        [
            (certificates_html([facts_of(by_id[pk]) for pk in chunk], template), len(chunk))
            for chunk in _chunks(half, size)
        ]
        for half in halves
    ]
    connections.close_all()  # the children open their own

    context = multiprocessing.get_context("fork")
    with context.Pool(WORKERS, initializer=_worker_start) as pool:
        # Warm both processes up (fonts, stylesheet, templates) off the clock.
        pool.map(_weasyprint_alone, [(documents[0][:1], upload_names)] * WORKERS)

        rendered, full, full_cpu = _timed(
            pool, _render_task, [(half, args.one_by_one) for half in halves]
        )
        written, alone, alone_cpu = _timed(
            pool, _weasyprint_alone, [(half, upload_names) for half in documents]
        )

    n = len(ids)
    emails = OutboundEmail.objects.filter(to_email__endswith=f"@{BENCH_DOMAIN}").count()
    code = (
        "certificates.tasks.render_certificate, one certificate per document"
        if args.one_by_one
        else f"certificates.tasks.render_pending (the bulk issue), {CHUNK} per document"
    )
    print(f"Rendering code: {code}; {WORKERS} processes")
    print(f"Certificates issued: {rendered}/{n}; WeasyPrint alone wrote {written} PDFs")
    print(f"  stored PDFs: {certificates.exclude(pdf='').count()}, e-mails queued: {emails}")
    print("| run | wall clock | per certificate | CPU s (workers) |")
    print("| --- | --- | --- | --- |")
    print(
        f"| full (read, HTML, QR, WeasyPrint, store, e-mail) | {full:.2f} s | "
        f"{full / n * 1000:.1f} ms | {full_cpu:.2f} |"
    )
    print(
        f"| WeasyPrint alone, same HTML, same {WORKERS} processes | {alone:.2f} s | "
        f"{alone / n * 1000:.1f} ms | {alone_cpu:.2f} |"
    )
    print(
        f"Ratio full / WeasyPrint alone: {full / alone:.2f} wall clock, "
        f"{full_cpu / alone_cpu:.2f} CPU (target <= 1.5)"
    )
    print(
        f"Target < 20 s: {'met' if full < 20 else 'NOT met'}; "
        f"CPUs on this machine: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
