"""A team's storyboard: its one-page story for the closing congress (aim, driver
diagram, the key chart with its signals, ramps and their decisions, lessons learned),
as a page and as a PDF rendered by WeasyPrint through core.pdf.

Who sees it: the team's people, its coaches and the program's staff (the people who
see the team's records, teams_visible_to), and everyone resources.access says may see
the collaborative's shared work (the other teams, and the community of practice once
the collaborative has one). The "outsiders" among them see the team's story as the team
would present it: the aim, the diagram, the key chart and the lessons, and of the
ramps only those the team shared; the team's other ramps stay with the team's circle.
Only the team's lead writes the lessons learned.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.models import User
from core import clock
from measures.public import team_measure_charts, team_measure_digests
from pdsa.public import aim_of, team_driver_diagram_svg, team_ramps
from teams.models import Team
from teams.selectors import team_access, teams_visible_to

from .access import shared_work_collaborative_ids
from .models import Storyboard

#: The PDF's stylesheet (A4, one page per team).
STYLESHEET = "static:resources/storyboard-pdf.css"


@dataclass(frozen=True)
class StoryboardViewer:
    """What the viewer may do with one team's storyboard."""

    insider: bool  # sees the team's records (team, its coaches, program staff)
    can_edit_lessons: bool


def storyboard_team_or_404(*, user: User, team_id) -> tuple[Team, StoryboardViewer]:
    """The team named in the URL and the viewer's powers over its storyboard, or
    Http404 for anyone who may not see it (exactly like a team that does not exist)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404("No such team.")
    try:
        team = (
            Team.objects.select_related("collaborative", "program", "facility")
            .filter(public_id=team_id)
            .first()
        )
    except (ValidationError, ValueError):
        team = None
    if team is None:
        raise Http404("No such team.")
    insider = teams_visible_to(user=user).filter(pk=team.pk).exists()
    if not insider and team.collaborative_id not in shared_work_collaborative_ids(user=user):
        raise Http404("No such team.")
    access = team_access(user=user, team=team) if insider else None
    return team, StoryboardViewer(
        insider=insider, can_edit_lessons=bool(access and access.can_edit_diagram)
    )


def lessons_of(*, team: Team) -> Storyboard | None:
    return Storyboard.objects.filter(program_id=team.program_id, team=team).first()


def key_chart(*, team: Team) -> dict | None:
    """The chart of the team's key measure (the first of its collaborative's measure
    set) with its signals, as the measures overview draws it; None without measures."""
    digests = team_measure_digests(teams=[team]).get(team.pk) or []
    if not digests:
        return None
    cards = team_measure_charts(team=team, measure_ids={digests[0].measure_id})
    if not cards:
        return None
    card = cards[0]
    return {
        "measure": card["row"].measure,
        "chart": card["chart"],
        "goal": card["goal"],
        "signals": [s["text"] for s in card["analysis"].signals],
    }


def storyboard_context(*, team: Team, viewer: StoryboardViewer) -> dict:
    """Everything the page and the PDF show, read once."""
    ramps = [r for r in team_ramps(team=team) if r.cycles]
    if not viewer.insider:
        ramps = [r for r in ramps if r.change_idea.shared_at is not None]
    storyboard = lessons_of(team=team)
    return {
        "team": team,
        "collaborative": team.collaborative,
        "aim": aim_of(team=team),
        # pdsa.diagram escapes every text of the drawing.
        "diagram_svg": mark_safe(team_driver_diagram_svg(team=team)),  # noqa: S308
        "key_chart": key_chart(team=team),
        "ramps": ramps,
        "lessons": storyboard.lessons_learned if storyboard else "",
        "viewer": viewer,
        "as_of": clock.today(),
    }


def storyboard_pdf_html(context: dict) -> str:
    """The storyboard's printable HTML (the PDF template escapes every text)."""
    return render_to_string("resources/sustain/storyboard_pdf.html", context)


def render_documents(htmls: list[str]):
    """WeasyPrint documents of these HTML pages, fetching only what core.pdf allows."""
    from weasyprint import HTML

    from core.pdf import OwnFilesFetcher, weasyprint_shared

    font_config, stylesheets = weasyprint_shared(STYLESHEET)
    return [
        HTML(string=html, base_url="data:,", url_fetcher=OwnFilesFetcher()).render(
            font_config=font_config, stylesheets=stylesheets
        )
        for html in htmls
    ]


def join_documents(documents) -> bytes:
    """One PDF of every page of these documents, in order."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def storyboard_pdf(*, team: Team, viewer: StoryboardViewer) -> bytes:
    """PDF bytes of one team's storyboard as `viewer` may see it."""
    html = storyboard_pdf_html(storyboard_context(team=team, viewer=viewer))
    return join_documents(render_documents([html]))
