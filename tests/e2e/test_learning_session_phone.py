"""Journey (issue 14): a team member on a phone registers for a live learning session,
checks in with the code staff project in the room, and evaluates the session.

Staff's check-in display runs in a desktop browser; the member's phone (390 x 844)
reads the code off it the way a person would, types it, and then answers the
collaborative's evaluation form. Every page the member sees fits the phone's width."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_sessions import evaluations
from learning_sessions.models import (
    Attendance,
    AttendanceSource,
    EvaluationResponse,
    Registration,
    RegistrationStatus,
)
from tests.learning_sessions.conftest import make_event

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 390px phone"


def test_register_check_in_with_the_code_and_evaluate_on_a_phone(browser, live_server, tenant_a):
    starts = timezone.now() - timedelta(minutes=5)
    event = make_event(
        tenant_a,
        title="Learning session 4: sepsis huddles",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        capacity=30,
    )
    questions = evaluations.form_add_defaults(
        collaborative=tenant_a.collaborative, actor=tenant_a.staff
    )
    ratings = [q for q in questions if q.kind == "rating"]
    detail = reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})

    # Staff project the check-in code from a laptop.
    laptop = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    screen = laptop.new_page()
    sign_in_as(screen, live_server, tenant_a.staff)
    screen.goto(reverse("learning_sessions:check_in_display", kwargs={"event_id": event.public_id}))
    code = screen.locator(".check-in-code").inner_text().strip()
    assert len(code) == 6
    laptop.close()

    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.set_default_timeout(15000)
    sign_in_as(page, live_server, tenant_a.member)

    # Register.
    page.goto(detail)
    _fits_the_phone(page)
    page.get_by_role("button", name="Register").click()
    page.get_by_role("status").get_by_text("You are registered.").wait_for()
    assert Registration.objects.get(event=event, user=tenant_a.member).status == (
        RegistrationStatus.REGISTERED
    )

    # Check in with the code read off the screen (typed in lower case, with spaces).
    page.get_by_role("link", name="Check in with the session code").click()
    _fits_the_phone(page)
    page.get_by_label("Session code").fill(f" {code[:3].lower()} {code[3:].lower()} ")
    page.get_by_role("button", name="Check in").click()
    page.get_by_role("status").get_by_text("You are checked in.", exact=False).wait_for()
    attendance = Attendance.objects.get(event=event, user=tenant_a.member)
    assert (attendance.source, attendance.present) == (AttendanceSource.CODE, True)

    # Evaluate: the event page now asks for it.
    page.goto(detail)
    page.get_by_role("link", name="Evaluate this event").click()
    _fits_the_phone(page)
    page.get_by_role("button", name="Send my evaluation").click()  # nothing chosen yet
    page.locator(".usa-error-message").first.wait_for()
    assert not EvaluationResponse.objects.filter(event=event).exists()
    for question, score in zip(ratings, (5, 4, 5), strict=False):
        group = page.get_by_role("group", name=question.prompt)
        radio = group.locator(f"input[type=radio][value='{score}']")
        # USWDS draws its own radio: a person taps the label, as here.
        group.locator(f"label[for='{radio.get_attribute('id')}']").tap()
        assert radio.is_checked()
    page.get_by_role("textbox").first.fill("Start a sepsis huddle at shift change <b>daily</b>")
    page.get_by_role("button", name="Send my evaluation").click()
    page.get_by_text("An evaluation cannot be changed once it is sent.").wait_for()
    _fits_the_phone(page)
    phone.close()

    response = EvaluationResponse.objects.get(event=event, user=tenant_a.member)
    given = {a.question_id: (a.rating, a.text) for a in response.answers.all()}
    assert [given[q.pk][0] for q in ratings] == [5, 4, 5][: len(ratings)]
    assert "Start a sepsis huddle at shift change <b>daily</b>" in {t for _, t in given.values()}
