"""The replay check used by race, fault and load tests: it must catch what it looks for."""

from uuid import uuid4

from tests.unit.history import Given
from threadlog.domain import events as ev
from threadlog.domain.history import run_problems


def test_a_healthy_log_has_no_problems() -> None:
    run = uuid4()
    given = Given().created().run_created(run).run_started(run).event(ev.RunSucceeded, run_id=run, attempt=1)
    assert run_problems(given.events) == []


def test_overlapping_runs_and_missing_or_double_outcomes_are_reported() -> None:
    first, second = uuid4(), uuid4()
    given = Given().created().run_created(first).run_created(second).run_started(first).run_started(second)
    given.event(ev.RunSucceeded, run_id=second, attempt=1).event(ev.RunSucceeded, run_id=second, attempt=1)
    problems = run_problems(given.events)
    assert any("started while" in p for p in problems)
    assert f"run {first} has 0 outcomes" in problems and f"run {second} has 2 outcomes" in problems
