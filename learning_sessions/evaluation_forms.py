"""Forms of evaluations: staff's introduction and questions, and the participant's answers.

The answer form is built from the collaborative's asked questions: a rating is five
labelled radio buttons (the project's renderer puts them in a fieldset whose legend is
the question), free text a text area. The rules themselves are in `evaluations`, so the
form and the service report the same messages.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .evaluations import (
    MAX_ANSWER_CHARS,
    MAX_INTRO_CHARS,
    MAX_PROMPT_CHARS,
    RATING_LABELS,
    check_answers,
)
from .models import EvaluationQuestion, QuestionKind


class IntroForm(forms.Form):
    intro = forms.CharField(
        label="Introduction",
        required=False,
        max_length=MAX_INTRO_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown above the questions, e.g. why you ask and how answers are used.",
    )


class QuestionForm(forms.Form):
    prompt = forms.CharField(
        label="Question",
        max_length=MAX_PROMPT_CHARS,
        help_text=f"Up to {MAX_PROMPT_CHARS} characters.",
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=QuestionKind.choices,
        initial=QuestionKind.RATING,
        widget=forms.RadioSelect,
    )
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)

    @classmethod
    def initial_for(cls, question: EvaluationQuestion) -> dict:
        return {"prompt": question.prompt, "kind": question.kind, "required": question.required}


def field_name(question: EvaluationQuestion) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per asked question; what was typed stays on the page when it is refused."""

    def __init__(self, *args, questions: list[EvaluationQuestion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.RATING:
                field: forms.Field = forms.TypedChoiceField(
                    label=question.prompt,
                    choices=[(n, f"{n} – {words}") for n, words in RATING_LABELS.items()],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    required=question.required,
                    error_messages={"required": "This question needs an answer."},
                )
            else:
                field = forms.CharField(
                    label=question.prompt,
                    required=question.required,
                    max_length=MAX_ANSWER_CHARS,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=f"Up to {MAX_ANSWER_CHARS:,} characters.",
                    error_messages={"required": "This question needs an answer."},
                )
            self.fields[field_name(question)] = field

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                check_answers(questions=self.questions, raw=self.raw_answers())
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    self.add_error(f"q{key}", messages)
        return data

    def raw_answers(self) -> dict[int, object]:
        """question pk -> the cleaned value, for evaluations.response_submit."""
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}
