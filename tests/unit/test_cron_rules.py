"""The Cron aggregate: when it is next due, and that each due time fires once."""

from datetime import UTC, datetime
from uuid import uuid4

from tests.unit.history import kinds, new_events
from threadlog.domain import events as ev
from threadlog.domain.cron import Cron, next_run, project_cron, schedule_problem

MONDAY_9 = ev.CronSpec(assistant_id="a", schedule="0 9 * * 1", timezone="Europe/Paris")
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # a Sunday


def test_the_next_run_is_read_in_the_crons_timezone_and_ends_with_it() -> None:
    assert next_run(MONDAY_9, NOW) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 9:00 in Paris is 8:00 UTC
    ended = ev.CronSpec(assistant_id="a", schedule="0 9 * * 1", end_time=NOW)
    assert next_run(ended, NOW) is None
    assert next_run(ev.CronSpec(assistant_id="a", schedule="* * * * *", enabled=False), NOW) is None


def test_each_due_time_fires_once_and_moves_the_cron_on() -> None:
    cron = Cron.create(uuid4(), MONDAY_9, owner="ann", now=NOW)
    due = cron.next_run_date
    assert not cron.fire(due, now=NOW)  # not yet due
    assert cron.fire(due, now=due)
    assert not cron.fire(due, now=due)  # a second scheduler with the same due time: nothing
    assert cron.next_run_date == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    events = new_events(cron)
    assert kinds(events) == ["CronCreated", "CronFired"]
    assert project_cron(None, events).next_run_date == cron.next_run_date


def test_a_late_scheduler_skips_missed_times_rather_than_firing_them_all() -> None:
    cron = Cron.create(uuid4(), ev.CronSpec(assistant_id="a", schedule="* * * * *"), owner=None, now=NOW)
    later = datetime(2026, 11, 22, 15, 0, 30, tzinfo=UTC)
    assert cron.fire(cron.next_run_date, now=later)
    assert cron.next_run_date == datetime(2026, 11, 22, 15, 1, tzinfo=UTC)


def test_updates_merge_into_the_run_payload_and_disabling_clears_the_next_run() -> None:
    cron = Cron.create(uuid4(), ev.CronSpec(assistant_id="a", schedule="* * * * *", payload={"input": 1, "x": 2}),
                       owner=None, now=NOW)
    cron.update({"enabled": False}, {"input": 3}, now=NOW)
    assert cron.spec.payload == {"input": 3, "x": 2} and cron.next_run_date is None


def test_bad_schedules_and_timezones_are_named() -> None:
    assert schedule_problem("0 9 * * 1", "Europe/Paris") is None
    assert "schedule" in schedule_problem("every monday", None)
    assert "timezone" in schedule_problem("0 9 * * 1", "Mars/Olympus")
