"""The Assistant aggregate: versions, choosing one, deletion."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from threadlog.domain import events as ev
from threadlog.domain.assistant import Assistant, project_assistant
from threadlog.domain.errors import AssistantNotFoundError, VersionNotFoundError

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SPEC = ev.AssistantSpec(graph_id="agent", config={"configurable": {"delay": 0}}, name="weather")


def test_an_update_makes_a_new_latest_version_from_the_latest_one() -> None:
    assistant = Assistant.create(uuid4(), SPEC, now=NOW, owner="ann")
    assistant.update({"name": "weather v2", "metadata": {"team": "x"}}, now=NOW)
    assert assistant.latest == 2
    assert (assistant.spec.name, assistant.spec.config, assistant.spec.metadata) == (
        "weather v2", SPEC.config, {"team": "x"})
    assert [type(e).__name__ for e in assistant.collect_events()] == ["AssistantCreated", "AssistantUpdated"]


def test_an_older_version_can_be_made_the_latest_again() -> None:
    assistant = Assistant.create(uuid4(), SPEC, now=NOW)
    assistant.update({"name": "v2"}, now=NOW)
    assistant.choose_version(1, now=NOW)
    assert assistant.spec.name == "weather"
    with pytest.raises(VersionNotFoundError):
        assistant.choose_version(7, now=NOW)


def test_a_deleted_assistant_accepts_nothing_and_replays_as_deleted() -> None:
    assistant = Assistant.create(uuid4(), SPEC, now=NOW)
    assistant.delete(now=NOW)
    with pytest.raises(AssistantNotFoundError):
        assistant.update({"name": "x"}, now=NOW)
    replayed = project_assistant(None, assistant.collect_events())
    assert replayed.deleted and replayed.version == 2
