"""A series of events made from a pattern ("third Tuesday monthly, 90 minutes, 9 times").

The series keeps the pattern it was made from, so staff can read how the dates came
about; its occurrences are ordinary Event rows (Event.series) and stay editable one by
one through the event form. Editing one occurrence never changes the others: the
pattern is a recipe that was applied once, not a rule the events keep following.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

#: At most this many occurrences in one series: a typo in "count" must not fill a
#: calendar with thousands of events.
MAX_OCCURRENCES = 60


class SeriesFrequency(models.TextChoices):
    WEEKLY = "weekly", "Every week or every few weeks"
    MONTHLY = "monthly", "Monthly, on one weekday of the month"


class WeekOfMonth(models.IntegerChoices):
    """Which of the month's weekdays: RFC 5545 BYDAY ordinals (-1 is the last)."""

    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = -1, "Last"


class Weekday(models.IntegerChoices):
    """Python's weekday numbers (Monday is 0), as dateutil.rrule takes them."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class EventSeries(models.Model):
    """The pattern a run of events was created from, and the fields they started with."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.ForeignKey(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="event_series"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    frequency = models.CharField(max_length=10, choices=SeriesFrequency.choices)
    #: Every `interval` weeks (weekly) or months (monthly).
    interval = models.PositiveSmallIntegerField(default=1)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    #: For monthly series: which of the month's `weekday`s; empty for weekly ones.
    week_of_month = models.SmallIntegerField(choices=WeekOfMonth.choices, null=True, blank=True)
    #: The first occurrence is on or after this date (in the collaborative's zone).
    first_date = models.DateField()
    #: Local wall-clock start, kept across daylight-saving changes.
    start_time = models.TimeField()
    duration_minutes = models.PositiveIntegerField()
    count = models.PositiveSmallIntegerField()
    #: The zone the wall-clock time was given in (the collaborative's, when created).
    timezone = models.CharField(max_length=64)
    # The fields every occurrence started with.
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)
    join_url = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_date", "id"]
        verbose_name_plural = "event series"
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=MAX_OCCURRENCES),
                name="learning_series_count_capped",
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1), name="learning_series_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="learning_series_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pattern_label(self) -> str:
        """The pattern in words: "Third Tuesday of every month, 13:00, 90 minutes, 9 times"."""
        day = Weekday(self.weekday).label
        if self.frequency == SeriesFrequency.MONTHLY:
            which = WeekOfMonth(self.week_of_month).label if self.week_of_month else ""
            every = "every month" if self.interval == 1 else f"every {self.interval} months"
            rule = f"{which} {day} of {every}"
        else:
            every = "Every" if self.interval == 1 else f"Every {self.interval} weeks on"
            rule = f"{every} {day}"
        times = "once" if self.count == 1 else f"{self.count} times"
        return (
            f"{rule}, {self.start_time:%H:%M} ({self.timezone.replace('_', ' ')}), "
            f"{self.duration_minutes} minutes, {times}"
        )
