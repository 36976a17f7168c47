"""Evaluations: staff keep a collaborative's form; people who attended answer it once.

Reads and writes of the form and of answering live here (results and exports are in
`evaluation_results`). Rules kept whichever way the data arrives (page or later API):

- at most MAX_QUESTIONS asked questions, prompts up to the model's 300 characters,
  answers up to MAX_ANSWER_CHARS;
- a question that has answers is never deleted and keeps its wording and kind: staff
  retire it (no longer asked) and past results keep it;
- only someone with an Attendance row for the event is asked, once the event has
  started, and only once: a response is not editable (the unique constraint on
  (event, user) also stops two submissions racing each other).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from accounts.selectors import coach_program_ids, is_program_staff
from collaboratives.models import Collaborative
from core.audit import audit_record
from core.clock import now

from .attendance.selectors import attended, present_records
from .models import (
    RATING_MAX,
    RATING_MIN,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    Event,
    QuestionKind,
)

#: More questions than this and people stop answering; accreditors need about five.
MAX_QUESTIONS = 20
MAX_PROMPT_CHARS = EvaluationQuestion._meta.get_field("prompt").max_length
MAX_INTRO_CHARS = 2000
MAX_ANSWER_CHARS = 5000

#: Offered when a collaborative has no questions yet: CE accreditors expect the activity's
#: objectives, relevance to practice, freedom from commercial bias and intended change.
DEFAULT_QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    (QuestionKind.RATING, "The session met its stated objectives.", True),
    (QuestionKind.RATING, "The content was relevant to my practice.", True),
    (QuestionKind.RATING, "The session was free of commercial bias.", True),
    (QuestionKind.TEXT, "What will you change in your practice as a result?", False),
    (QuestionKind.TEXT, "Comments", False),
)

#: The words of the 1-5 scale, shown next to each radio button and in the results.
RATING_LABELS: dict[int, str] = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neutral",
    4: "Agree",
    5: "Strongly agree",
}


# --- who may do what ----------------------------------------------------------------------


def can_edit_form(*, user: User, collaborative: Collaborative) -> bool:
    """Program staff keep the evaluation form."""
    return is_program_staff(user=user, program=collaborative.program)


def can_read_results(*, user: User, collaborative: Collaborative) -> bool:
    """Program staff and the program's coaches read results (never with names)."""
    return can_edit_form(user=user, collaborative=collaborative) or (
        collaborative.program_id in coach_program_ids(user=user)
    )


def can_read_comments(*, user: User, collaborative: Collaborative) -> bool:
    """Free-text answers can identify the person or their team: program staff only.
    Coaches get the counts, means and distributions (collaborative-level aggregates)."""
    return can_edit_form(user=user, collaborative=collaborative)


# --- the form -------------------------------------------------------------------------------


def form_of(*, collaborative: Collaborative) -> EvaluationForm | None:
    return EvaluationForm.objects.filter(
        program_id=collaborative.program_id, collaborative=collaborative
    ).first()


def asked_questions(*, collaborative: Collaborative) -> list[EvaluationQuestion]:
    """The questions people are asked now, in order."""
    return list(
        EvaluationQuestion.objects.filter(
            program_id=collaborative.program_id,
            form__collaborative=collaborative,
            is_active=True,
        ).order_by("position", "id")
    )


def questions_of(*, collaborative: Collaborative) -> QuerySet[EvaluationQuestion]:
    """Every question of the form, asked and retired, with `has_answers`."""
    answers = EvaluationAnswer.objects.filter(question=OuterRef("pk"))
    return (
        EvaluationQuestion.objects.filter(
            program_id=collaborative.program_id, form__collaborative=collaborative
        )
        .annotate(has_answers=Exists(answers))
        .order_by("-is_active", "position", "id")
    )


def question_get(*, collaborative: Collaborative, question_id) -> EvaluationQuestion:
    """One question of this collaborative's form (DoesNotExist otherwise)."""
    return questions_of(collaborative=collaborative).get(public_id=question_id)


def _form_for_update(collaborative: Collaborative) -> EvaluationForm:
    """The form, created on first use, locked so that positions and counts stay right."""
    EvaluationForm.objects.get_or_create(
        collaborative=collaborative, defaults={"program_id": collaborative.program_id}
    )
    return EvaluationForm.objects.select_for_update().get(
        program_id=collaborative.program_id, collaborative=collaborative
    )


def _check_prompt(prompt: str) -> str:
    prompt = (prompt or "").strip()
    if not prompt:
        raise ValidationError({"prompt": "Write the question."})
    if len(prompt) > MAX_PROMPT_CHARS:
        raise ValidationError(
            {"prompt": f"Keep the question to {MAX_PROMPT_CHARS} characters ({len(prompt)} now)."}
        )
    return prompt


def _check_room(form: EvaluationForm, adding: int = 1) -> None:
    asked = form.questions.filter(is_active=True).count()
    if asked + adding > MAX_QUESTIONS:
        raise ValidationError(
            f"A form asks at most {MAX_QUESTIONS} questions; retire one before adding another."
        )


def _renumber(form: EvaluationForm, ordered: Iterable[EvaluationQuestion]) -> None:
    for position, question in enumerate(ordered, start=1):
        if question.position != position:
            question.position = position
            question.save(update_fields=["position"])


def _asked_in_order(form: EvaluationForm) -> list[EvaluationQuestion]:
    return list(form.questions.filter(is_active=True).order_by("position", "id"))


@transaction.atomic
def form_update_intro(*, collaborative: Collaborative, actor: User, intro: str) -> EvaluationForm:
    """The text shown above the questions."""
    intro = (intro or "").strip()
    if len(intro) > MAX_INTRO_CHARS:
        raise ValidationError(
            {"intro": f"Keep the introduction to {MAX_INTRO_CHARS} characters ({len(intro)} now)."}
        )
    form = _form_for_update(collaborative)
    if form.intro != intro:
        form.intro = intro
        form.save(update_fields=["intro", "updated_at"])
        audit_record(actor=actor, verb="evaluation_form.updated", target=collaborative)
    return form


@transaction.atomic
def form_add_defaults(*, collaborative: Collaborative, actor: User) -> list[EvaluationQuestion]:
    """Start an empty form with the recommended questions (refused once it has any)."""
    form = _form_for_update(collaborative)
    if form.questions.filter(is_active=True).exists():
        raise ValidationError("The form already has questions; add more one at a time.")
    added = [
        EvaluationQuestion.objects.create(
            program_id=collaborative.program_id,
            form=form,
            kind=kind,
            prompt=prompt,
            required=required,
            position=i,
        )
        for i, (kind, prompt, required) in enumerate(DEFAULT_QUESTIONS, start=1)
    ]
    audit_record(
        actor=actor,
        verb="evaluation_form.defaults_added",
        target=collaborative,
        data={"questions": len(added)},
    )
    return added


@transaction.atomic
def question_add(
    *, collaborative: Collaborative, actor: User, kind: str, prompt: str, required: bool
) -> EvaluationQuestion:
    """A new question at the end of the form."""
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "Choose a rating or a free-text question."})
    prompt = _check_prompt(prompt)
    form = _form_for_update(collaborative)
    _check_room(form)
    asked = _asked_in_order(form)
    question = EvaluationQuestion.objects.create(
        program_id=collaborative.program_id,
        form=form,
        kind=kind,
        prompt=prompt,
        required=required,
        position=len(asked) + 1,
    )
    audit_record(
        actor=actor,
        verb="evaluation_question.added",
        target=question,
        data={"collaborative": str(collaborative.public_id)},
    )
    return question


@transaction.atomic
def question_update(
    *, question: EvaluationQuestion, actor: User, kind: str, prompt: str, required: bool
) -> EvaluationQuestion:
    """Change a question. Once answered, only `required` may change: new wording or a
    new kind would rewrite what past answers meant (retire it and add another)."""
    _form_for_update(question.form.collaborative)
    question = EvaluationQuestion.objects.select_for_update().get(pk=question.pk)
    prompt = _check_prompt(prompt)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "Choose a rating or a free-text question."})
    answered = question.answers.exists()
    if answered and (prompt != question.prompt or kind != question.kind):
        raise ValidationError(
            "People have answered this question, so its wording and kind stay as they were. "
            "Retire it and add a new question instead."
        )
    changed = [
        name
        for name, value in (("kind", kind), ("prompt", prompt), ("required", required))
        if getattr(question, name) != value
    ]
    if changed:
        question.kind, question.prompt, question.required = kind, prompt, required
        question.save(update_fields=changed)
        audit_record(
            actor=actor,
            verb="evaluation_question.updated",
            target=question,
            data={"fields": changed},
        )
    return question


@transaction.atomic
def question_move(*, question: EvaluationQuestion, actor: User, up: bool) -> None:
    """Swap an asked question with its neighbour (a no-op at either end)."""
    form = _form_for_update(question.form.collaborative)
    asked = _asked_in_order(form)
    index = next((i for i, q in enumerate(asked) if q.pk == question.pk), None)
    if index is None:
        raise ValidationError("A retired question has no place in the form; restore it first.")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(asked):
        return
    asked[index], asked[other] = asked[other], asked[index]
    _renumber(form, asked)
    audit_record(
        actor=actor,
        verb="evaluation_question.moved",
        target=question,
        data={"position": other + 1},
    )


class RemoveOutcome(Enum):
    DELETED = "deleted"
    RETIRED = "retired"


@transaction.atomic
def question_remove(*, question: EvaluationQuestion, actor: User) -> RemoveOutcome:
    """Delete a question nobody answered; retire one with answers (past results keep it)."""
    form = _form_for_update(question.form.collaborative)
    question = EvaluationQuestion.objects.select_for_update().get(pk=question.pk)
    if question.answers.exists():
        if question.is_active:
            question.is_active = False
            question.save(update_fields=["is_active"])
            audit_record(actor=actor, verb="evaluation_question.retired", target=question)
        outcome = RemoveOutcome.RETIRED
    else:
        audit_record(
            actor=actor,
            verb="evaluation_question.deleted",
            target=question,
            data={"prompt": question.prompt},
        )
        question.delete()
        outcome = RemoveOutcome.DELETED
    _renumber(form, _asked_in_order(form))
    return outcome


@transaction.atomic
def question_restore(*, question: EvaluationQuestion, actor: User) -> EvaluationQuestion:
    """Ask a retired question again, at the end of the form."""
    form = _form_for_update(question.form.collaborative)
    question = EvaluationQuestion.objects.select_for_update().get(pk=question.pk)
    if question.is_active:
        return question
    _check_room(form)
    question.is_active = True
    question.position = len(_asked_in_order(form)) + 1
    question.save(update_fields=["is_active", "position"])
    audit_record(actor=actor, verb="evaluation_question.restored", target=question)
    return question


# --- answering ------------------------------------------------------------------------------


class Standing(Enum):
    """Where a person stands with an event's evaluation."""

    NO_FORM = "no_form"  # the collaborative asks no questions
    CANCELLED = "cancelled"
    NOT_STARTED = "not_started"  # asked once the event starts
    NOT_ATTENDED = "not_attended"  # no attendance record: not asked
    TO_DO = "to_do"
    DONE = "done"


def has_attended(*, event: Event, user: User) -> bool:
    """Present at `event` (a row may also be staff's "absent" mark, which asks nothing)."""
    return attended(event=event).filter(user=user).exists()


def evaluation_done(*, event: Event, user: User) -> bool:
    """`user` has submitted their evaluation of `event` (a CE credit gate, issue 15)."""
    return EvaluationResponse.objects.filter(
        program_id=event.program_id, event=event, user=user
    ).exists()


def standing_of(
    *, event: Event, user: User, questions: list[EvaluationQuestion] | None = None
) -> Standing:
    """Whether `user` is asked to evaluate `event`, and whether they did."""
    if evaluation_done(event=event, user=user):
        return Standing.DONE
    if event.is_cancelled:
        return Standing.CANCELLED
    if questions is None:
        questions = asked_questions(collaborative=event.collaborative)
    if not questions:
        return Standing.NO_FORM
    if event.starts_at > now():
        return Standing.NOT_STARTED
    if not has_attended(event=event, user=user):
        return Standing.NOT_ATTENDED
    return Standing.TO_DO


def pending_evaluations(*, user: User, events: QuerySet[Event] | None = None) -> list[Event]:
    """Events `user` attended, that have started, ask questions and await their answers,
    oldest first. `events` narrows the search (e.g. one collaborative's visible events);
    by default every event with an attendance record of theirs."""
    return list(pending_evaluations_query(user=user, events=events).select_related("collaborative"))


def pending_evaluations_query(
    *, user: User, events: QuerySet[Event] | None = None
) -> QuerySet[Event]:
    """`pending_evaluations` as a query, oldest first, for a caller that reads only a few
    of the events' fields (the team home's due list)."""
    qs = events if events is not None else Event.objects.all()
    asked = EvaluationQuestion.objects.filter(
        form__collaborative=OuterRef("collaborative"), is_active=True
    )
    was_there = present_records().filter(event=OuterRef("pk"), user=user)
    answered = EvaluationResponse.objects.filter(event=OuterRef("pk"), user=user)
    return (
        qs.filter(is_cancelled=False, starts_at__lte=now())
        .filter(Exists(was_there), Exists(asked))
        .exclude(Exists(answered))
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class Answer:
    """One checked answer: a rating for rating questions, text for free-text ones."""

    question: EvaluationQuestion
    rating: int | None = None
    text: str = ""

    @property
    def is_blank(self) -> bool:
        return self.rating is None and not self.text


ALREADY_RECEIVED = "Your evaluation of this event was already received; thank you."


def check_answers(*, questions: list[EvaluationQuestion], raw: dict[int, object]) -> list[Answer]:
    """Turn raw values (question pk -> rating or text) into Answers; every problem is
    reported at once as {str(question pk): message}."""
    errors: dict[str, str] = {}
    answers: list[Answer] = []
    for question in questions:
        value = raw.get(question.pk)
        if question.kind == QuestionKind.RATING:
            rating = None
            if value not in (None, ""):
                try:
                    rating = int(value)
                except (TypeError, ValueError):
                    rating = 0
                if not RATING_MIN <= rating <= RATING_MAX:
                    errors[str(question.pk)] = f"Choose a rating from {RATING_MIN} to {RATING_MAX}."
                    continue
            answer = Answer(question=question, rating=rating)
        else:
            text = str(value or "").strip()
            if len(text) > MAX_ANSWER_CHARS:
                errors[str(question.pk)] = (
                    f"Keep your answer to {MAX_ANSWER_CHARS:,} characters ({len(text):,} now)."
                )
                continue
            answer = Answer(question=question, text=text)
        if question.required and answer.is_blank:
            errors[str(question.pk)] = "This question needs an answer."
            continue
        answers.append(answer)
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def response_submit(*, event: Event, user: User, raw: dict[int, object]) -> EvaluationResponse:
    """Record `user`'s evaluation of `event`, once; refused (ValidationError) for someone
    who did not attend, before the event starts, and the second time."""
    questions = asked_questions(collaborative=event.collaborative)
    standing = standing_of(event=event, user=user, questions=questions)
    refusals = {
        Standing.DONE: ALREADY_RECEIVED,
        Standing.CANCELLED: "This event was cancelled; it has no evaluation.",
        Standing.NO_FORM: "This collaborative has no evaluation form yet.",
        Standing.NOT_STARTED: "The evaluation opens when the event starts.",
        Standing.NOT_ATTENDED: (
            "We have no record of your attendance at this event, so you are not asked to "
            "evaluate it. If you attended, ask the organisers to record it."
        ),
    }
    if standing in refusals:
        raise ValidationError(refusals[standing])
    answers = check_answers(questions=questions, raw=raw)
    try:
        with transaction.atomic():
            response = EvaluationResponse.objects.create(
                program_id=event.program_id, event=event, user=user, submitted_at=now()
            )
    except IntegrityError:  # a second submission racing the first
        raise ValidationError(ALREADY_RECEIVED) from None
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(
            program_id=event.program_id,
            response=response,
            question=answer.question,
            rating=answer.rating,
            text=answer.text,
        )
        for answer in answers
        if not answer.is_blank
    )
    audit_record(
        actor=user,
        verb="evaluation.submitted",
        target=event,
        data={"answers": sum(1 for a in answers if not a.is_blank)},
    )
    return response
