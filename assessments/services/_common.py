"""What the template services share: the lock that lets only a draft change."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ..models import SurveyTemplate, TemplateStatus


def draft_for_update(template: SurveyTemplate) -> SurveyTemplate:
    """Lock the version; only drafts change, published versions are immutable."""
    locked = SurveyTemplate.objects.select_for_update().get(pk=template.pk)
    if locked.status != TemplateStatus.DRAFT:
        raise ValidationError(
            f"Version {locked.version} is published and can no longer change, so that the "
            "responses to it keep their meaning. Create a new version to edit it."
        )
    return locked
