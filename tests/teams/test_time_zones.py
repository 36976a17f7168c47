"""Times in the viewer's own zone: a profile choice, else their collaborative's, activated
for every page, labelled with the zone; e-mails in the recipient's zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import clock
from core.timezones import format_local
from teams.models import ProgressRating
from teams.selectors import viewer_time_zone
from teams.services.members import invitation_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _written(moment, zone: str) -> str:
    """How a page should write `moment` for a reader in `zone`: "17:24 EST"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%H:%M} {local.tzname()}"


def _rating_saved_at(tenant):
    """Tenant's rating saved at 22:24 UTC yesterday: another day in Asia, the same in the US."""
    moment = (clock.now() - timedelta(days=1)).replace(hour=22, minute=24, second=0)
    ProgressRating.objects.filter(pk=tenant.rating.pk).update(created_at=moment)
    return moment


def _progress_page(tenant, user) -> str:
    url = reverse("teams:progress", kwargs={"team_id": tenant.team.public_id})
    response = _client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_default_is_the_zone_of_the_persons_collaborative(tenant_a, outsider):
    tenant_a.collaborative.timezone = "America/Denver"
    tenant_a.collaborative.save()
    assert viewer_time_zone(user=tenant_a.lead) == "America/Denver"  # team member
    assert viewer_time_zone(user=tenant_a.coach) == "America/Denver"  # coach of the team
    assert viewer_time_zone(user=outsider) == "UTC"  # no collaborative: the site's zone


def test_staff_default_to_their_programs_latest_collaborative(tenant_a):
    tenant_a.recruiting.timezone = "America/Chicago"
    tenant_a.recruiting.start_date = tenant_a.collaborative.start_date + timedelta(days=400)
    tenant_a.recruiting.save()
    assert viewer_time_zone(user=tenant_a.staff) == "America/Chicago"


def test_a_chosen_zone_wins_over_the_collaboratives(tenant_a):
    tenant_a.lead.time_zone = "Europe/Paris"
    tenant_a.lead.save()
    assert viewer_time_zone(user=tenant_a.lead) == "Europe/Paris"


def test_page_shows_times_in_the_collaboratives_zone_labelled(tenant_a):
    tenant_a.collaborative.timezone = "America/Los_Angeles"
    tenant_a.collaborative.save()
    moment = _rating_saved_at(tenant_a)
    page = _progress_page(tenant_a, tenant_a.lead)
    assert _written(moment, "America/Los_Angeles") in page
    assert "22:24" not in page  # not UTC


def test_middleware_activates_the_zone_chosen_in_the_profile(tenant_a):
    moment = _rating_saved_at(tenant_a)
    tenant_a.lead.time_zone = "Asia/Tokyo"
    tenant_a.lead.save()
    page = _progress_page(tenant_a, tenant_a.lead)
    assert _written(moment, "Asia/Tokyo") in page  # "07:24 JST", the next day
    local_day = moment.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{local_day.day} {local_day:%B} {local_day.year}, 07:24 JST" in page
    # Another viewer of the same page reads it in their own zone.
    assert _written(moment, "America/New_York") in _progress_page(tenant_a, tenant_a.coach)


def test_the_zone_is_not_left_active_after_the_request(tenant_a):
    tenant_a.lead.time_zone = "Asia/Tokyo"
    tenant_a.lead.save()
    _progress_page(tenant_a, tenant_a.lead)
    assert timezone.get_current_timezone_name() == "UTC"


@pytest.mark.today("2026-12-06")
def test_today_is_the_sites_whoever_looks(tenant_a):
    """What is due or late must not depend on the viewer's zone (core.clock)."""
    utc_day = clock.today()
    with timezone.override("Etc/GMT-14"):  # noon UTC is 02:00 the next day there
        assert clock.today() == utc_day
        assert timezone.localdate() != utc_day  # the viewer's own date differs


def test_the_api_answers_in_utc(tenant_a):
    """API clients get ISO 8601 instants in UTC, whatever the person chose for pages."""
    tenant_a.lead.time_zone = "Asia/Tokyo"
    tenant_a.lead.save()
    response = _client(tenant_a.lead).get(f"/api/v1/teams/{tenant_a.team.public_id}/members/")
    assert response.status_code == 200
    joined = [row["joined_at"] for row in response.json()["results"]]
    assert joined and all(value.endswith("Z") for value in joined)


def test_profile_offers_us_zones_first_and_saves_the_choice(tenant_a):
    client = _client(tenant_a.lead)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert page.index("America/Chicago") < page.index("Africa/Abidjan")
    assert "My collaborative&#x27;s time zone" in page
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Lee Lead", "credentials": "RN", "time_zone": "America/Phoenix"},
    )
    assert response.status_code == 302
    tenant_a.lead.refresh_from_db()
    assert tenant_a.lead.time_zone == "America/Phoenix"
    assert (
        "Times are shown now in America/Phoenix"
        in client.get(reverse("accounts:profile")).content.decode()
    )


def test_profile_refuses_an_unknown_zone(tenant_a):
    response = _client(tenant_a.lead).post(
        reverse("accounts:profile"),
        {"full_name": "Lee Lead", "credentials": "RN", "time_zone": "Mars/Olympus_Mons"},
    )
    assert response.status_code == 200
    tenant_a.lead.refresh_from_db()
    assert tenant_a.lead.time_zone == ""


def _invite(tenant, email: str):
    invitation, _token = invitation_create(
        team=tenant.team, invited_by=tenant.lead, email=email, role="member"
    )
    return invitation


def test_invitation_email_writes_the_expiry_in_the_invitees_collaboratives_zone(
    tenant_a, django_capture_on_commit_callbacks
):
    tenant_a.collaborative.timezone = "America/Chicago"
    tenant_a.collaborative.save()
    tenant_a.lead.time_zone = "Asia/Tokyo"  # the sender's zone must not leak in
    tenant_a.lead.save()
    with timezone.override("Asia/Tokyo"), django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(tenant_a, "new.nurse@example.org")
    body = mail.outbox[-1].body
    assert f"until {format_local_in(invitation.expires_at, 'America/Chicago')}" in body
    assert "JST" not in body


def test_email_to_a_person_with_an_account_uses_their_chosen_zone(
    tenant_a, django_capture_on_commit_callbacks
):
    UserFactory(email="known.nurse@example.org", time_zone="Europe/Paris")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(tenant_a, "known.nurse@example.org")
    body = mail.outbox[-1].body
    assert f"until {format_local_in(invitation.expires_at, 'Europe/Paris')}" in body


def test_invitation_page_agrees_with_the_email_for_a_visitor(
    tenant_a, django_capture_on_commit_callbacks
):
    tenant_a.collaborative.timezone = "Pacific/Honolulu"
    tenant_a.collaborative.save()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenant_a, "visitor@example.org")
    token = mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]
    page = Client().get(f"/invitations/{token}/").content.decode()
    expected = format_local_in(
        tenant_a.team.invitations.get(email="visitor@example.org").expires_at, "Pacific/Honolulu"
    )
    assert expected in page and "HST" in expected


def format_local_in(moment, zone: str) -> str:
    with timezone.override(zone):
        return format_local(moment)


def test_an_emails_zone_uses_the_recipient_the_producer_passed(tenant_a, django_assert_num_queries):
    """A producer that passes the recipient's account (a bulk certificate render) costs
    no look-up by address; a recipient object for another address is not trusted."""
    from teams.selectors.time_zones import recipient_time_zone

    chosen = UserFactory(email="paris.nurse@example.org", time_zone="Europe/Paris")
    with django_assert_num_queries(0):
        assert recipient_time_zone("Paris.Nurse@example.org", {"recipient": chosen}) == (
            "Europe/Paris"
        )
    with django_assert_num_queries(1):
        assert recipient_time_zone(chosen.email, {"recipient": tenant_a.member}) == ("Europe/Paris")
