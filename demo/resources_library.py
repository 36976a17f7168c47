"""The demo library: a program's toolkits, documents, templates, links, a video and a
recording, with opens over the last three months.

Toolkits in the style of AAP, ACEP and ENA guidance are links (to the demo site: the
titles and addresses are invented, DOMAIN.md); a few one-page documents and a template
are small PDFs generated here. One resource is public, two are shared only with the
active collaborative, one is retired, and the second program has one of its own that
NPRIC's people must never see. Made through the library's services (checked by
content, audited, indexed for search); seeding again finds them by title and adds
nothing.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from collaboratives.models import FacilityType, FocusArea
from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility
from resources.services.library import ResourceInput, resource_create, resource_retire

from .collaboratives import ACTIVE
from .world import DemoResult, DemoWorld

SITE = "https://npric.demo.example/library"
K = ResourceKind
F = FacilityType
READINESS = "Pediatric readiness"
PREHOSPITAL = "Prehospital pediatric readiness"


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    summary: str
    source: str
    #: Days before seeding it was added (0: this month's news).
    age_days: int
    url: str = ""
    #: Lines of a generated one-page PDF (instead of a URL).
    pdf_lines: tuple[str, ...] = ()
    visibility: str = Visibility.PROGRAM
    for_active_collaborative: bool = False
    focus_areas: tuple[str, ...] = (READINESS,)
    audience: tuple[str, ...] = ()
    tags: str = ""
    body: str = ""
    #: Opens per week over the last weeks, newest first.
    weekly_opens: tuple[int, ...] = ()
    retired: bool = False


NPRIC_LIBRARY = [
    Spec(
        "Pediatric readiness checklist for emergency departments",
        K.TOOLKIT,
        "The checklist behind the readiness assessment: staffing, a pediatric emergency care "
        "coordinator, policies, equipment and quality improvement, with what each item asks.",
        "Modelled on the AAP/ACEP/ENA joint policy statement (demo)",
        200,
        url=f"{SITE}/readiness-checklist",
        visibility=Visibility.PUBLIC,
        tags="readiness, checklist, PECC",
        body="Use it before the gap analysis survey and again a year later.\n\n"
        "Each section links the policy wording with an example from a community hospital.",
        weekly_opens=(6, 4, 5, 3, 4, 2, 3, 2, 1, 2, 1, 1),
    ),
    Spec(
        "Weighing children in kilograms: implementation toolkit",
        K.TOOLKIT,
        "How departments moved to kilograms only: scale settings, triage prompts, the "
        "electronic record, and how to measure the share of children weighed in kg.",
        "In the style of ENA clinical practice resources (demo)",
        150,
        url=f"{SITE}/weight-in-kg-toolkit",
        tags="weight, kilograms, triage, medication safety",
        weekly_opens=(9, 7, 8, 6, 5, 6, 4, 3, 3, 2, 2, 1),
    ),
    Spec(
        "Weight in kilograms: one-page triage checklist",
        K.DOCUMENT,
        "A laminate-ready checklist for triage nurses: weigh, record in kg, recheck doses.",
        "NPRIC quality team",
        12,
        pdf_lines=(
            "Weight in kilograms - triage checklist",
            "1. Weigh every child on a scale locked to kilograms.",
            "2. Record the weight in kg only; no pounds in the record.",
            "3. Estimate with a length-based tape only when weighing is unsafe.",
            "4. Recheck weight-based doses against the recorded kg weight.",
        ),
        tags="weight, kilograms, triage",
        weekly_opens=(5, 3, 2),
    ),
    Spec(
        "Abnormal vital signs: escalation algorithm",
        K.DOCUMENT,
        "Age-based vital sign thresholds and who to call when a child's vital signs are "
        "abnormal at triage or on reassessment.",
        "NPRIC quality team",
        40,
        pdf_lines=(
            "Abnormal vital signs - escalation",
            "Reassess within 30 minutes when any vital sign is outside the age band.",
            "Notify the physician and the PECC when two vital signs are abnormal.",
            "Document the escalation and the time of reassessment.",
        ),
        for_active_collaborative=True,
        tags="vital signs, escalation, sepsis",
        weekly_opens=(2, 3, 1, 2, 1),
    ),
    Spec(
        "PDSA worksheet template",
        K.TEMPLATE,
        "A printable worksheet for one test of change: the plan with its prediction, what "
        "happened, what you learned and what you will do next.",
        "NPRIC quality team",
        5,
        pdf_lines=(
            "PDSA worksheet",
            "Plan: the change, who, where, when; the prediction and the data to collect.",
            "Do: what happened; problems and observations.",
            "Study: compare the data with the prediction; what was learned.",
            "Act: adopt, adapt or abandon; the next cycle.",
        ),
        focus_areas=(READINESS, PREHOSPITAL),
        tags="PDSA, template, worksheet",
        weekly_opens=(4, 2),
    ),
    Spec(
        "Pediatric emergency care coordinator: role description template",
        K.TEMPLATE,
        "A role description to adapt: responsibilities, protected time, and the reports a "
        "PECC brings to the department's quality committee.",
        "NPRIC quality team",
        95,
        pdf_lines=(
            "Pediatric emergency care coordinator (PECC) - role description",
            "Leads pediatric readiness work in the department.",
            "Keeps pediatric policies, equipment and competencies current.",
            "Reports pediatric quality measures to the quality committee quarterly.",
        ),
        tags="PECC, staffing, template",
    ),
    Spec(
        "Pain assessment scales for children: choosing and using them",
        K.LINK,
        "FLACC, Wong-Baker FACES and numeric scales by age and development, with how to "
        "document the score and reassess after treatment.",
        "In the style of AAP clinical guidance (demo)",
        70,
        url=f"{SITE}/pain-scales",
        tags="pain, assessment, FLACC",
        weekly_opens=(1, 0, 2, 1, 0, 1),
    ),
    Spec(
        "Video: weighing an infant in kilograms at triage",
        K.VIDEO,
        "A four-minute demonstration at a community emergency department, from setting the "
        "scale to recording the weight.",
        "NPRIC education team",
        60,
        url=f"{SITE}/videos/weighing-an-infant",
        tags="weight, kilograms, video",
        weekly_opens=(3, 2, 2, 1, 1),
    ),
    Spec(
        "Recording: learning session on suicide risk screening",
        K.RECORDING,
        "The learning session's recording: screening every child aged 10 and over, and the "
        "pathway after a positive screen.",
        "NPRIC learning sessions",
        25,
        url=f"{SITE}/recordings/suicide-risk-screening",
        for_active_collaborative=True,
        tags="suicide risk, screening, recording",
        weekly_opens=(2, 4, 3),
    ),
    Spec(
        "Suicide risk screening pathway for emergency departments",
        K.DOCUMENT,
        "A screening and response pathway modelled on validated brief screening questions, "
        "with safety planning before discharge.",
        "Modelled on national mental health guidance (demo)",
        120,
        url=f"{SITE}/suicide-risk-pathway",
        tags="suicide risk, screening, mental health",
    ),
    Spec(
        "Prehospital pediatric readiness toolkit for EMS agencies",
        K.TOOLKIT,
        "Equipment, protocols and a pediatric emergency care coordinator for EMS agencies, "
        "from the prehospital readiness checklist.",
        "Modelled on the prehospital joint policy statement (demo)",
        80,
        url=f"{SITE}/prehospital-toolkit",
        focus_areas=(PREHOSPITAL,),
        audience=(F.EMS_AGENCY,),
        tags="EMS, prehospital, equipment",
    ),
    Spec(
        "Interfacility transfer agreements: examples for small hospitals",
        K.LINK,
        "Example transfer agreements and guidelines between rural departments and pediatric "
        "centres, with what to agree on before the first transfer.",
        "NPRIC quality team",
        110,
        url=f"{SITE}/transfer-agreements",
        audience=(F.CRITICAL_ACCESS, F.COMMUNITY_ED, F.TRIBAL_IHS),
        tags="transfer, rural, agreements",
    ),
    Spec(
        "Pediatric triage form (replaced)",
        K.TEMPLATE,
        "The first cohort's paper triage form, replaced by the electronic record's prompts.",
        "NPRIC quality team",
        300,
        url=f"{SITE}/old-triage-form",
        tags="triage",
        retired=True,
    ),
]

GREAT_LAKES_LIBRARY = [
    Spec(
        "Pediatric surge annex template for disaster plans",
        K.TEMPLATE,
        "A template annex for a hospital's disaster plan: pediatric surge capacity, "
        "reunification and supplies.",
        "Great Lakes program (demo)",
        30,
        url="https://great-lakes.demo.example/library/pediatric-surge-annex",
        focus_areas=("Disaster preparedness",),
        tags="disaster, surge, template",
    ),
]


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    """Both programs' libraries, dated and opened relative to `today`."""
    active = world.collaboratives[ACTIVE]
    libraries = (
        ("npric", "staff@demo.example", NPRIC_LIBRARY),
        ("great-lakes", "other-staff@demo.example", GREAT_LAKES_LIBRARY),
    )
    for slug, staff_email, specs in libraries:
        program = world.programs[slug]
        staff = world.users[staff_email]
        areas = {a.name: a for a in FocusArea.objects.filter(program=program)}
        for spec in specs:
            if Resource.objects.filter(program=program, title=spec.title).exists():
                continue
            resource = resource_create(
                program=program,
                actor=staff,
                data=ResourceInput(
                    kind=spec.kind,
                    title=spec.title,
                    summary=spec.summary,
                    visibility=Visibility.COLLABORATIVE
                    if spec.for_active_collaborative
                    else spec.visibility,
                    collaborative=active if spec.for_active_collaborative else None,
                    body=spec.body,
                    focus_areas=[areas[name] for name in spec.focus_areas if name in areas],
                    tags=spec.tags,
                    audience=list(spec.audience),
                    source=spec.source,
                    source_date=today - timedelta(days=spec.age_days + 30),
                    upload=_pdf_upload(spec) if spec.pdf_lines else None,
                    url=spec.url,
                ),
            )
            result.count(True)
            _date_and_open(resource, spec, today)
            if spec.retired:
                resource_retire(resource=resource, actor=staff)


def _date_and_open(resource: Resource, spec: Spec, today: date) -> None:
    """Back-date the resource to when it was added and record its weekly opens (one
    day a week, never before it was added, never after `today`)."""
    added = today - timedelta(days=spec.age_days)
    added_at = timezone.make_aware(datetime.combine(added, time(14, 0)))
    days = []
    for week, opens in enumerate(spec.weekly_opens):
        day = today - timedelta(days=7 * week)
        if opens and day >= added:
            days.append(ResourceViewDay(resource=resource, day=day, count=opens))
    ResourceViewDay.objects.bulk_create(days)
    Resource.objects.filter(pk=resource.pk).update(
        created_at=added_at, view_count=sum(d.count for d in days)
    )


def _pdf_upload(spec: Spec) -> SimpleUploadedFile:
    name = "".join(c if c.isalnum() else "-" for c in spec.title.lower()).strip("-")[:60]
    return SimpleUploadedFile(f"{name}.pdf", one_page_pdf(spec.pdf_lines))


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def one_page_pdf(lines: tuple[str, ...]) -> bytes:
    """A small, valid one-page PDF (Letter, Helvetica) with `lines` of ASCII text: the
    first as a heading. Written directly, so seeding needs no renderer."""
    commands = ["BT", "/F1 18 Tf", "72 720 Td", f"({_pdf_text(lines[0])}) Tj", "/F1 11 Tf"]
    for line in lines[1:]:
        commands += ["0 -24 Td", f"({_pdf_text(line)}) Tj"]
    commands.append("ET")
    stream = zlib.compress("\n".join(commands).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
