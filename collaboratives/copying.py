"""Copying a collaborative: one service that later features extend.

`collaborative_copy` (services) creates the new collaborative, then runs every
registered copy step with the source, the copy and the number of days the
calendar moves. Each feature registers its own step in its app, e.g. in
`measures/copying.py`:

    @copy_step("measures")
    def copy_measure_set(source, target, shift_days): ...

and imports that module from its AppConfig.ready(). Steps run inside the copy's
transaction, in registration order.
"""

from collections.abc import Callable
from datetime import timedelta

from .models import Collaborative, Phase

CopyStep = Callable[[Collaborative, Collaborative, int], None]

_STEPS: list[tuple[str, CopyStep]] = []


def copy_step(name: str) -> Callable[[CopyStep], CopyStep]:
    """Register a step of the copy; registering the same name twice replaces it."""

    def register(step: CopyStep) -> CopyStep:
        for index, (existing, _) in enumerate(_STEPS):
            if existing == name:
                _STEPS[index] = (name, step)
                return step
        _STEPS.append((name, step))
        return step

    return register


def registered_copy_steps() -> list[str]:
    return [name for name, _ in _STEPS]


def run_copy_steps(source: Collaborative, target: Collaborative, shift_days: int) -> list[str]:
    for _, step in _STEPS:
        step(source, target, shift_days)
    return registered_copy_steps()


@copy_step("phases")
def copy_phases(source: Collaborative, target: Collaborative, shift_days: int) -> None:
    """Phases keep their shape and move with the new start date."""
    delta = timedelta(days=shift_days)
    Phase.objects.bulk_create(
        Phase(
            program=target.program,
            collaborative=target,
            kind=phase.kind,
            name=phase.name,
            start_date=phase.start_date + delta,
            end_date=phase.end_date + delta,
        )
        for phase in source.phases.order_by("start_date")
    )
