"""The Assistant aggregate: a graph with a configuration, in numbered versions."""

from datetime import datetime
from typing import Any
from uuid import UUID

from msgspec import Struct, structs

from threadlog.domain import events as ev
from threadlog.domain.aggregate import Recorder, projector
from threadlog.domain.errors import AssistantNotFoundError, VersionNotFoundError


class Assistant(Struct, Recorder, kw_only=True, dict=True):
    id: UUID
    version: int
    created_on: datetime
    modified_on: datetime
    versions: dict[int, ev.AssistantSpec] = {}
    latest: int = 1
    owner: str | None = None
    deleted: bool = False

    @classmethod
    def create(cls, assistant_id: UUID, spec: ev.AssistantSpec, *, now: datetime, owner: str | None = None
               ) -> "Assistant":
        assistant = cls(id=assistant_id, version=0, created_on=now, modified_on=now)
        assistant._record(ev.AssistantCreated, now, spec=spec, owner=owner)
        return assistant

    @property
    def spec(self) -> ev.AssistantSpec:
        return self.versions[self.latest]

    def update(self, changes: dict[str, Any], *, now: datetime) -> None:
        """A new version from the latest one, with `changes` applied; it becomes the latest."""
        self._check_alive()
        self._record(ev.AssistantUpdated, now, version=max(self.versions) + 1, spec=structs.replace(self.spec, **changes))

    def choose_version(self, version: int, *, now: datetime) -> None:
        self._check_alive()
        if version not in self.versions:
            raise VersionNotFoundError(self.id, version)
        self._record(ev.AssistantVersionChosen, now, version=version, spec=self.versions[version])

    def delete(self, *, now: datetime) -> None:
        self._check_alive()
        self._record(ev.AssistantDeleted, now)

    def _check_alive(self) -> None:
        if self.deleted:
            raise AssistantNotFoundError(self.id)

    def apply(self, event: ev.AssistantEvent) -> None:
        match event:
            case ev.AssistantCreated():
                self.versions, self.latest, self.owner = {1: event.spec}, 1, event.owner
            case ev.AssistantUpdated():
                self.versions = {**self.versions, event.version: event.spec}
                self.latest = event.version
            case ev.AssistantVersionChosen():
                self.latest = event.version
            case ev.AssistantDeleted():
                self.deleted = True
        self.version = event.originator_version
        self.modified_on = event.timestamp

    def __deepcopy__(self, memo: dict[int, Any]) -> "Assistant":
        return structs.replace(self)  # versions are replaced, never mutated in place


project_assistant = projector(Assistant)
