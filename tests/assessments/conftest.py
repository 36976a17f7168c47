"""Fixtures of the gap-analysis tests: tenant A's survey, an open wave, signed-in clients."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import SurveyResponse, SurveyTemplate, SurveyWave, WaveKind


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def survey(tenant_a) -> SurveyTemplate:
    """Tenant A's published 10-point survey (tests/assessments/tenant_builder.py)."""
    return SurveyTemplate.objects.get(public_id=tenant_a.extras["template_id"])


@pytest.fixture
def baseline(tenant_a) -> SurveyWave:
    return SurveyWave.objects.get(public_id=tenant_a.extras["wave_id"])


@pytest.fixture
def submitted(tenant_a) -> SurveyResponse:
    """Tenant A's team's submitted baseline response (score 60)."""
    return SurveyResponse.objects.get(public_id=tenant_a.extras["response_id"])


@pytest.fixture
def open_wave(tenant_a, survey) -> SurveyWave:
    """A follow-up wave open today, not yet answered by anyone."""
    today = timezone.localdate()
    return SurveyWave.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        template=survey,
        kind=WaveKind.FOLLOW_UP,
        opens_on=today - timedelta(days=1),
        due_on=today + timedelta(days=30),
    )
