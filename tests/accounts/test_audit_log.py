"""The program's audit log page: who may open it, what it shows, its filters, its pages
and its CSV and XLSX exports. Nothing of another program and no platform event appears."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core.audit import VERB_LABELS, verb_label
from core.models import AuditEvent
from tests.conftest import PRIVATE_MARKER
from tests.factories import UserFactory, client_for

pytestmark = pytest.mark.django_db


def _url(program, name: str = "accounts:audit_log") -> str:
    return reverse(name, kwargs={"program_id": program.public_id})


def _event(program, *, actor=None, verb="collaborative.updated", target_type=None, **fields):
    """An audit row of `program` (None: a platform event), at `created_at` if given."""
    created_at = fields.pop("created_at", None)
    event = AuditEvent.objects.create(
        program=program,
        actor=actor,
        verb=verb,
        target_type=target_type or "collaboratives.collaborative",
        target_id=fields.pop("target_id", "00000000-0000-0000-0000-000000000001"),
        target_repr=fields.pop("target_repr", "Alpha Active Collaborative"),
        data=fields.pop("data", {}),
    )
    if created_at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(created_at=created_at)
        event.refresh_from_db()
    return event


def _text(response) -> str:
    import html

    return html.unescape(response.content.decode())


def _rows(response) -> list[str]:
    """The text of each row of the log's table body, whitespace collapsed."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    import html

    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


# --- Who may open it ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_program_staff_see_their_programs_log(persona, tenant_a):
    _event(tenant_a.program, actor=tenant_a.staff, target_repr="Alpha change")
    for name in ("accounts:audit_log", "accounts:audit_log_csv", "accounts:audit_log_xlsx"):
        response = client_for(getattr(tenant_a, persona)).get(_url(tenant_a.program, name))
        assert response.status_code == 200, name


@pytest.mark.parametrize("persona", ["coach", "lead", "member", "other_tenant_staff", "outsider"])
def test_everyone_else_gets_404(persona, tenant_a, tenant_b, outsider):
    user = {"other_tenant_staff": tenant_b.staff, "outsider": outsider}.get(persona) or getattr(
        tenant_a, persona
    )
    _event(tenant_a.program, actor=tenant_a.staff)
    for name in ("accounts:audit_log", "accounts:audit_log_csv", "accounts:audit_log_xlsx"):
        assert client_for(user).get(_url(tenant_a.program, name)).status_code == 404, name


def test_anonymous_visitor_is_sent_to_sign_in(client, tenant_a):
    for name in ("accounts:audit_log", "accounts:audit_log_csv", "accounts:audit_log_xlsx"):
        response = client.get(_url(tenant_a.program, name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_unknown_program_id_is_404(tenant_a):
    url = reverse(
        "accounts:audit_log", kwargs={"program_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert client_for(tenant_a.staff).get(url).status_code == 404


# --- Nothing crosses programs ----------------------------------------------------------


def test_log_shows_own_events_never_another_programs_or_platform_events(tenant_a, tenant_b):
    _event(tenant_a.program, actor=tenant_a.staff, target_repr="Alpha visible change")
    _event(tenant_b.program, actor=tenant_b.staff, target_repr=f"Bravo {PRIVATE_MARKER}")
    _event(None, actor=tenant_b.staff, verb="account.signed_up", target_repr="PLATFORM-ONLY")
    client = client_for(tenant_a.staff)
    page = client.get(_url(tenant_a.program))
    assert "Alpha visible change" in _text(page)
    csv_body = client.get(_url(tenant_a.program, "accounts:audit_log_csv"))
    xlsx = client.get(_url(tenant_a.program, "accounts:audit_log_xlsx"))
    for content in (
        _text(page),
        b"".join(csv_body.streaming_content).decode(),
        " ".join(
            str(c.value) for row in load_workbook(io.BytesIO(xlsx.content)).active for c in row
        ),
    ):
        assert PRIVATE_MARKER not in content
        assert "PLATFORM-ONLY" not in content
        assert "Bravo" not in content  # not even the other program's staff as a filter choice


def test_a_program_id_in_the_query_string_changes_nothing(tenant_a, tenant_b):
    _event(tenant_b.program, actor=tenant_b.staff, target_repr=f"Bravo {PRIVATE_MARKER}")
    url = (
        _url(tenant_a.program)
        + f"?program={tenant_b.program.public_id}&program_id={tenant_b.program.pk}"
    )
    assert PRIVATE_MARKER not in _text(client_for(tenant_a.staff).get(url))


# --- What a row says ---------------------------------------------------------------------


def test_rows_are_readable_in_the_viewers_zone(tenant_a):
    tenant_a.staff.time_zone = "America/New_York"
    tenant_a.staff.save(update_fields=["time_zone"])
    _event(
        tenant_a.program,
        actor=tenant_a.staff,
        verb="collaborative.status_changed",
        data={"from": "recruiting", "to": "active", "note": "<b>go</b>"},
        created_at=datetime(2026, 11, 3, 15, 4, tzinfo=UTC),
    )
    _event(
        tenant_a.program,
        verb="made_up.verb",
        data={"fields": ["title", "end_date"]},
        target_repr="Alpha Team",
        target_type="teams.team",
        created_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    )
    response = client_for(tenant_a.staff).get(_url(tenant_a.program))
    first, second = _rows(response)
    assert "3 November 2026, 10:04 EST" in first
    assert "Alpha Staff" in first and "staff@alpha.example" in first
    assert "Changed the status of a collaborative" in first
    assert "Alpha Active Collaborative" in first
    assert "from: recruiting" in first and "to: active" in first
    assert "<b>go</b>" in first  # shown as text...
    assert "<b>go</b>" not in response.content.decode()  # ...because it is escaped
    assert "system" in second.lower()
    assert "made_up.verb" in second  # an unknown verb falls back to itself
    assert "fields: title, end_date" in second


def test_every_verb_the_code_records_has_a_label():
    """A new audit verb in a service must get a readable label in core/audit.py."""
    root = Path(settings.BASE_DIR)
    verbs = set()
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "node_modules", "tests"}:
            continue
        for line in path.read_text().splitlines():
            if "verb" in line:
                verbs |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
    assert len(verbs) > 40
    missing = sorted(v for v in verbs if v not in VERB_LABELS)
    assert missing == []
    assert verb_label("collaborative.created") == VERB_LABELS["collaborative.created"]
    assert verb_label("nobody.knows") == "nobody.knows"


# --- Filters -----------------------------------------------------------------------------


@pytest.fixture
def mixed_log(tenant_a):
    """Five events of tenant A's program, one per day from 10 to 14 November 2026."""
    p = tenant_a.program
    day = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
    return [
        _event(
            p,
            actor=tenant_a.staff,
            verb="collaborative.created",
            target_repr="Col One",
            created_at=day,
        ),
        _event(
            p,
            actor=tenant_a.lead,
            verb="pdsa_cycle.created",
            target_type="pdsa.pdsacycle",
            target_repr="Cycle Two",
            created_at=day + timedelta(days=1),
        ),
        _event(
            p,
            actor=tenant_a.staff,
            verb="collaborative.status_changed",
            target_repr="Col Three",
            created_at=day + timedelta(days=2),
        ),
        _event(
            p,
            verb="team.applied",
            target_type="teams.team",
            target_repr="Team Four",
            created_at=day + timedelta(days=3),
        ),
        _event(
            p,
            actor=tenant_a.coach,
            verb="progress_rating.created",
            target_type="teams.progressrating",
            target_repr="Rating Five",
            created_at=day + timedelta(days=4),
        ),
    ]


def _shown(tenant, query: str) -> list[str]:
    response = client_for(tenant.staff).get(_url(tenant.program) + query)
    assert response.status_code == 200, _text(response)
    names = ["Col One", "Cycle Two", "Col Three", "Team Four", "Rating Five"]
    rows = _rows(response)
    return [n for n in names if any(n in row for row in rows)]


def test_filter_by_person_and_system(tenant_a, mixed_log):
    assert _shown(tenant_a, f"?actor={tenant_a.staff.public_id}") == ["Col One", "Col Three"]
    assert _shown(tenant_a, "?actor=system") == ["Team Four"]


def test_filter_by_kind_of_change_verb_or_group(tenant_a, mixed_log):
    assert _shown(tenant_a, "?kind=collaborative.*") == ["Col One", "Col Three"]
    assert _shown(tenant_a, "?kind=pdsa_cycle.created") == ["Cycle Two"]


def test_filter_by_object_type(tenant_a, mixed_log):
    assert _shown(tenant_a, "?object=teams.team") == ["Team Four"]


def test_filter_by_text_in_the_object(tenant_a, mixed_log):
    assert _shown(tenant_a, "?q=col") == ["Col One", "Col Three"]


def test_filter_by_dates_in_the_viewers_zone(tenant_a, mixed_log):
    tenant_a.staff.time_zone = "Pacific/Honolulu"  # UTC-10: 15:00 UTC is 05:00 the same day
    tenant_a.staff.save(update_fields=["time_zone"])
    assert _shown(tenant_a, "?from=2026-11-11&to=2026-11-12") == ["Cycle Two", "Col Three"]
    tenant_a.staff.time_zone = "Pacific/Kiritimati"  # UTC+14: 15:00 UTC is 05:00 the next day
    tenant_a.staff.save(update_fields=["time_zone"])
    assert _shown(tenant_a, "?from=2026-11-11&to=2026-11-12") == ["Col One", "Cycle Two"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-11-12&to=2026-11-11", "The start date must be on or before the end date."),
        ("?from=not-a-date", "Enter a valid date"),
        ("?to=2026-02-30", "Enter a valid date"),
        ("?to=9999-12-31", "Enter a date between 1900 and 2999."),
        ("?from=0001-01-01", "Enter a date between 1900 and 2999."),
        ("?q=" + "x" * 101, "Ensure this value has at most 100 characters"),
        ("?actor=nobody", "Choose a person from the list."),
        ("?actor=00000000-0000-0000-0000-000000000000", "Choose a person from the list."),
        ("?kind=DROP TABLE", "Choose a kind of change from the list."),
        ("?object=auth.user'--", "Choose a kind of object from the list."),
        ("?before=garbage", "That page of the log no longer exists"),
    ],
)
def test_bad_filters_get_a_clear_message(tenant_a, mixed_log, query, message):
    client = client_for(tenant_a.staff)
    for name in ("accounts:audit_log", "accounts:audit_log_csv", "accounts:audit_log_xlsx"):
        response = client.get(_url(tenant_a.program, name) + query)
        assert response.status_code == 400, name
        assert message in _text(response), name


def test_a_person_of_another_program_is_not_a_choice(tenant_a, tenant_b, mixed_log):
    _event(tenant_b.program, actor=tenant_b.staff)
    response = client_for(tenant_a.staff).get(
        _url(tenant_a.program) + f"?actor={tenant_b.staff.public_id}"
    )
    assert response.status_code == 400
    assert "Choose a person from the list." in _text(response)


def test_filter_choices_are_cached_until_a_new_event_is_recorded(
    tenant_a, mixed_log, django_assert_num_queries
):
    client = client_for(tenant_a.staff)
    url = _url(tenant_a.program)
    client.get(url)
    with django_assert_num_queries(9):  # no pass over the log for the choices: cached
        client.get(url)
    newcomer = UserFactory(full_name="Nora Newcomer", email="nora@alpha.example")
    _event(tenant_a.program, actor=newcomer, target_type="pdsa.aim", target_repr="New aim")
    content = _text(client.get(url))
    assert f"{newcomer.display_name} (nora@alpha.example)" in content
    assert '<option value="pdsa.aim">' in content
    assert _shown(tenant_a, f"?actor={newcomer.public_id}") == []  # only "New aim" matches
    assert "New aim" in _text(client.get(url + f"?actor={newcomer.public_id}"))


# --- Pages -------------------------------------------------------------------------------


def test_pages_walk_the_whole_log_with_a_bounded_number_of_queries(
    tenant_a, django_assert_max_num_queries
):
    start = datetime(2026, 10, 1, tzinfo=UTC)
    people = [UserFactory(full_name=f"Person {n}") for n in range(8)]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            program=tenant_a.program,
            actor=people[n % 8],
            verb="collaborative.updated",
            target_type="collaboratives.collaborative",
            target_id=str(n),
            target_repr=f"Event {n:03d}",
            data={"fields": ["title"]},
        )
        for n in range(120)
    )
    # Same created_at for pairs of rows: the pages must still neither skip nor repeat.
    for n, event in enumerate(AuditEvent.objects.filter(program=tenant_a.program).order_by("id")):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=start + timedelta(minutes=n // 2))
    client = client_for(tenant_a.staff)
    # The top bar's unread count is cached per person: count it once, before measuring.
    client.get(reverse("notifications"))
    url = _url(tenant_a.program)
    seen: list[str] = []
    pages = 0
    while url:
        # 10, plus 3 on the first page, which computes the filter choices once
        with django_assert_max_num_queries(13):
            response = client.get(url)
        pages += 1
        seen += [re.search(r"Event \d{3}", row).group(0) for row in _rows(response)]
        older = re.search(r'href="([^"]*before=[^"]*)"[^>]*>\s*Older', response.content.decode())
        url = older.group(1).replace("&amp;", "&") if older else None
    assert pages == 3
    assert seen == [f"Event {n:03d}" for n in range(119, -1, -1)]
    # and back again: the newer link of the last page leads to the middle one
    last = response.content.decode()
    newer = (
        re.search(r'href="([^"]*after=[^"]*)"[^>]*>\s*Newer', last).group(1).replace("&amp;", "&")
    )
    middle = [re.search(r"Event \d{3}", row).group(0) for row in _rows(client.get(newer))]
    assert middle == [f"Event {n:03d}" for n in range(69, 19, -1)]


def test_filters_are_kept_across_pages_and_in_the_export_links(tenant_a, mixed_log):
    response = client_for(tenant_a.staff).get(
        _url(tenant_a.program) + "?kind=collaborative.*&q=col"
    )
    content = response.content.decode()
    for name in ("accounts:audit_log_csv", "accounts:audit_log_xlsx"):
        assert f'{_url(tenant_a.program, name)}?kind=collaborative.%2A&amp;q=col"' in content


# --- Exports -----------------------------------------------------------------------------


def test_csv_export_is_the_filtered_set_streamed_in_the_viewers_zone(tenant_a, mixed_log):
    tenant_a.staff.time_zone = "America/Chicago"
    tenant_a.staff.save(update_fields=["time_zone"])
    response = client_for(tenant_a.staff).get(
        _url(tenant_a.program, "accounts:audit_log_csv") + "?kind=collaborative.*"
    )
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["When", "Who", "E-mail", "What", "Change"]
    assert [r[7] for r in rows[1:]] == ["Col Three", "Col One"]
    assert rows[1][0] == "2026-11-12 09:00 CST"
    assert rows[1][3] == "Changed the status of a collaborative"


def test_xlsx_export_is_the_filtered_set(tenant_a, mixed_log):
    response = client_for(tenant_a.staff).get(
        _url(tenant_a.program, "accounts:audit_log_xlsx") + f"?actor={tenant_a.lead.public_id}"
    )
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["When", "Who", "E-mail", "What", "Change"]
    assert len(values) == 2 and values[1][7] == "Cycle Two"


def test_exports_neutralise_formulas(tenant_a):
    _event(tenant_a.program, actor=tenant_a.staff, target_repr='=HYPERLINK("http://evil","x")')
    client = client_for(tenant_a.staff)
    csv_response = client.get(_url(tenant_a.program, "accounts:audit_log_csv"))
    body = b"".join(csv_response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body
    xlsx = client.get(_url(tenant_a.program, "accounts:audit_log_xlsx"))
    cell = load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=8)
    assert cell.data_type == "s"
    assert cell.value.startswith(("=HYPERLINK", "'=HYPERLINK"))


def test_xlsx_export_refuses_more_rows_than_its_bound(tenant_a, monkeypatch):
    from accounts import views

    monkeypatch.setattr(views, "XLSX_MAX_ROWS", 2)
    for n in range(3):
        _event(tenant_a.program, target_repr=f"Row {n}")
    response = client_for(tenant_a.staff).get(_url(tenant_a.program, "accounts:audit_log_xlsx"))
    assert response.status_code == 400
    assert "narrow the filters or download CSV" in _text(response)


# --- Navigation --------------------------------------------------------------------------


def test_people_page_links_to_the_log(tenant_a):
    response = client_for(tenant_a.staff).get(
        reverse("teams:people", kwargs={"program_id": tenant_a.program.public_id})
    )
    assert _url(tenant_a.program) in response.content.decode()
