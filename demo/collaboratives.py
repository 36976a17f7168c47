"""The demo's collaboratives and their calendar, counted from `today`, the day of seeding.

Nothing here names a date or a year: whatever the day, the world has the same shape
(a past collaborative, an active one with eight months behind it, a recruiting one
with enrolment open, and the second tenant's). The slugs are the collaboratives'
natural keys and never contain a date, so seeding on a later day finds them again.
"""

from datetime import date, timedelta

from collaboratives.models import CollaborativeStatus
from core.clock import add_months, month_start
from teams.models import FacilityType

S = CollaborativeStatus
F = FacilityType

#: The collaboratives' natural keys (slugs). Cohorts are numbered, never dated, so that
#: seeding on a later day finds the collaboratives seeded before.
PAST = "prqc-cohort-1"
ACTIVE = "prqc-cohort-2"
RECRUITING = "ems-readiness-cohort-1"
GREAT_LAKES = "gl-disaster-cohort-1"

FOCUS_AREAS = {
    "npric": ["Pediatric readiness", "Prehospital pediatric readiness"],
    "great-lakes": ["Disaster preparedness"],
}

READINESS_SUMMARY = (
    "Monthly learning sessions and tests of change to raise emergency departments' "
    "pediatric readiness: weighing children in kilograms, acting on abnormal vital signs, "
    "assessing pain and screening for suicide risk."
)


def last_month(today: date) -> date:
    """The first day of the month before `today`'s: the newest month with data."""
    return add_months(today, -1)


def _span(start: date, months: int) -> tuple[date, date]:
    """From `start` (a first of the month) for `months` calendar months."""
    return start, add_months(start, months) - timedelta(days=1)


def _enrolment(start: date) -> tuple[date, date]:
    """Enrolment opens three months before the start and closes a fortnight before it."""
    return add_months(start, -3), start - timedelta(days=14)


def collaborative_specs(today: date) -> list[dict]:
    """The demo collaboratives, placed around `today` so that the world has the same shape
    on any day: the active one started eight months before this month and runs 18 (so it
    has eight months behind it, up to last month, and ten to go); the past one ran 18
    months starting two years earlier and is now a community of practice; the recruiting
    one starts in three months and its enrolment window is open (it opened at the start of
    last month); the second tenant's started six months ago and runs ten."""
    this_month = month_start(today)
    active_start, active_end = _span(add_months(this_month, -8), 18)
    past_start, past_end = _span(add_months(active_start, -24), 18)
    ems_start, ems_end = _span(add_months(this_month, 3), 11)
    lakes_start, lakes_end = _span(add_months(this_month, -6), 10)
    past_opens, past_closes = _enrolment(past_start)
    active_opens, active_closes = _enrolment(active_start)
    lakes_opens, lakes_closes = _enrolment(lakes_start)
    return [
        {
            "program": "npric",
            "slug": PAST,
            "title": f"Pediatric Readiness Quality Collaborative {past_start.year}",
            "focus": "Pediatric readiness",
            "status": S.COMMUNITY,
            "start_date": past_start,
            "end_date": past_end,
            "enrolment_opens": past_opens,
            "enrolment_closes": past_closes,
            "summary": READINESS_SUMMARY,
            "aims": f"20 teams raise their readiness score by 10 points by {past_end:%B %Y}.",
        },
        {
            "program": "npric",
            "slug": ACTIVE,
            "title": f"Pediatric Readiness Quality Collaborative {active_start.year}",
            "focus": "Pediatric readiness",
            "status": S.ACTIVE,
            "start_date": active_start,
            "end_date": active_end,
            "enrolment_opens": active_opens,
            "enrolment_closes": active_closes,
            "summary": READINESS_SUMMARY,
            "aims": "90% of children weighed in kilograms only; every team +10 readiness points.",
            "eligible_facility_types": [
                F.COMMUNITY_ED,
                F.CRITICAL_ACCESS,
                F.TRIBAL_IHS,
                F.ACADEMIC,
                F.FREESTANDING_ED,
            ],
        },
        {
            "program": "npric",
            "slug": RECRUITING,
            "title": f"Prehospital Pediatric Readiness Collaborative {ems_start.year}",
            "focus": "Prehospital pediatric readiness",
            "status": S.RECRUITING,
            "start_date": ems_start,
            "end_date": ems_end,
            "enrolment_opens": add_months(this_month, -1),
            "enrolment_closes": ems_start - timedelta(days=14),
            "summary": (
                "For EMS agencies of every size: name a pediatric emergency care "
                "coordinator, check skills and equipment, and build pediatric protocols, "
                "with coaching."
            ),
            "aims": "Every agency names a pediatric emergency care coordinator.",
            "eligible_facility_types": [F.EMS_AGENCY],
        },
        {
            "program": "great-lakes",
            "slug": GREAT_LAKES,
            "title": "Great Lakes Pediatric Disaster Preparedness Collaborative",
            "focus": "Disaster preparedness",
            "status": S.ACTIVE,
            "start_date": lakes_start,
            "end_date": lakes_end,
            "enrolment_opens": lakes_opens,
            "enrolment_closes": lakes_closes,
            "summary": (
                "Ten months to make hospital disaster plans pediatric-inclusive: surge, "
                "tracking and reunification, decontamination of children."
            ),
            "aims": "Every hospital has a tested pediatric reunification plan.",
        },
    ]
