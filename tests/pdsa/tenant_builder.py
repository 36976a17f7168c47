"""One object of every PDSA kind for a tenant, for the isolation guard (tests/conftest.py).

Private text carries `marker`, so that a page or API answer leaking it is caught.
The ramp is complete and shared, so the "shared ramps" views are walked too:
other teams of the same collaborative may see it, other tenants never.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from core.clock import month_end
from measures.models import Measure
from pdsa.models import (
    Aim,
    AimRevision,
    Attachment,
    ChangeIdea,
    ChangePackageItem,
    Comment,
    CommentReceipt,
    Cycle,
    CycleMeasure,
    CycleRevision,
    Decision,
    Driver,
    DriverKind,
    Scale,
    Stage,
)
from tests.clock import label, month


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 94, 162)).save(buffer, format="PNG")
    return buffer.getvalue()


def build(tenant, marker: str) -> dict[str, object]:
    m = f" {marker}" if marker else ""
    program, team = tenant.program, tenant.team
    item = ChangePackageItem.objects.create(
        program=program,
        collaborative=tenant.collaborative,
        title=f"Scale that shows kilograms only{m}",
        suggested_driver="Weigh in kilograms",
        gap_item=f"Weight in kg only{m}",
    )
    by_when = month_end(month(7))  # near the collaborative's end: 30 June 2027 by default
    aim = Aim.objects.create(
        program=program,
        team=team,
        statement=f"95% of children weighed in kilograms by {label(by_when)}{m}",
        what="children weighed in kilograms",
        how_much="95%",
        by_when=by_when,
        for_whom="children under 18 in our ED",
        updated_by=tenant.lead,
    )
    AimRevision.objects.create(
        program=program,
        team=team,
        aim=aim,
        revised_by=tenant.lead,
        changes={"statement": [None, m]},
    )
    primary = Driver.objects.create(
        program=program, team=team, kind=DriverKind.PRIMARY, title=f"Weigh in kilograms{m}"
    )
    secondary = Driver.objects.create(
        program=program,
        team=team,
        kind=DriverKind.SECONDARY,
        parent=primary,
        title=f"Scales locked to kilograms{m}",
    )
    idea = ChangeIdea.objects.create(
        program=program,
        team=team,
        driver=secondary,
        title=f"Lock the triage scale to kg{m}",
        source_item=item,
        shared_at=timezone.now(),
        shared_by=tenant.lead,
        share_notes=True,
    )
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        program=program,
        team=team,
        change_idea=idea,
        stage=Stage.COMPLETE,
        title=f"Lock the scale for one shift{m}",
        scale=Scale.ONE_SHIFT,
        objective=f"See whether nurses accept a kg-only scale{m}",
        predictions="Most children weighed in kg",
        plan_details="Night shift, triage nurse",
        plan_date=today - timedelta(days=20),
        do_date=today - timedelta(days=19),
        what_happened=f"All 14 children weighed in kg{m}",
        study_date=today - timedelta(days=18),
        results="14 of 14 in kg",
        learned=f"Nurses liked it{m}",
        act_date=today - timedelta(days=17),
        decision=Decision.ADOPT,
        next_steps="Every shift",
        completed_date=today - timedelta(days=17),
        created_by=tenant.member,
        updated_by=tenant.member,
    )
    CycleMeasure.objects.create(
        program=program,
        team=team,
        cycle=cycle,
        measure=Measure.objects.get(program=program, code="M1"),
    )
    CycleRevision.objects.create(
        program=program,
        team=team,
        cycle=cycle,
        revised_by=tenant.member,
        stage_before=Stage.PLAN,
        stage_after=Stage.PLAN,
        changes={"title": [None, cycle.title]},
    )
    comment = Comment.objects.create(
        program=program,
        team=team,
        cycle=cycle,
        author=tenant.coach,
        by_coach=True,
        body=f"Great test, now try every shift{m}",
    )
    CommentReceipt.objects.create(
        program=program, team=team, comment=comment, cycle=cycle, user=tenant.member
    )
    attachment = Attachment(
        program=program,
        team=team,
        cycle=cycle,
        original_name=f"whiteboard{m}.png",
        content_type="image/png",
        size=len(png_bytes()),
        uploaded_by=tenant.member,
    )
    attachment.file.save("whiteboard.png", ContentFile(png_bytes()), save=True)
    return {
        "cycle_id": cycle.public_id,
        "driver_id": primary.public_id,
        "change_idea_id": idea.public_id,
        "comment_id": comment.public_id,
        "attachment_id": attachment.public_id,
        "package_item_id": item.public_id,
    }
