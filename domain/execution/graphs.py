"""The graphs a server runs, named in a `langgraph.json`, and their default assistants."""

import importlib
import importlib.util
import json
import sys
import threading
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

from langgraph.graph import StateGraph
from langgraph.pregel import Pregel

# The reference server derives each graph's default assistant id this way.
ASSISTANT_NAMESPACE = UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8")


class GraphConfigError(ValueError):
    """The graphs config is missing, malformed, or names a graph that cannot be loaded."""


def default_assistant_id(graph_id: str) -> UUID:
    return uuid5(ASSISTANT_NAMESPACE, graph_id)


class GraphRegistry:
    """Graph ids mapped to where they live (`./file.py:attr` or `package.module:attr`)."""

    def __init__(self, graphs: dict[str, str], base_dir: Path) -> None:
        if not graphs:
            raise GraphConfigError("the config names no graphs")
        self.specs = dict(graphs)
        self.base_dir = base_dir
        self._loaded: dict[str, Pregel] = {}
        self._lock = threading.Lock()
        self.assistants = {default_assistant_id(g): g for g in graphs}

    @classmethod
    def from_config(cls, path: Path) -> "GraphRegistry":
        try:
            config = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            raise GraphConfigError(f"cannot read graphs config {path}: {e}") from None
        graphs = config.get("graphs") if isinstance(config, dict) else None
        if not isinstance(graphs, dict) or not all(isinstance(v, str) for v in graphs.values()):
            raise GraphConfigError(f'{path}: expected {{"graphs": {{"name": "path.py:attr"}}}}')
        return cls(graphs, path.parent)

    def graph_id_for(self, assistant: str | UUID) -> str | None:
        """The graph behind an assistant id or a graph name (None if neither)."""
        if isinstance(assistant, str) and assistant in self.specs:
            return assistant
        try:
            return self.assistants.get(UUID(str(assistant)))
        except ValueError:
            return None

    def load(self, graph_id: str) -> Pregel:
        """The compiled graph (imported once, then reused)."""
        with self._lock:
            if graph_id not in self._loaded:
                self._loaded[graph_id] = self._import(graph_id)
            return self._loaded[graph_id]

    def _import(self, graph_id: str) -> Pregel:
        location, _, attribute = self.specs[graph_id].rpartition(":")
        if not location or not attribute:
            raise GraphConfigError(f"graph {graph_id!r}: expected 'path.py:attr', got {self.specs[graph_id]!r}")
        try:
            module = self._module(graph_id, location)
            target: Any = getattr(module, attribute)
        except Exception as e:  # a user's graph module can fail in any way
            raise GraphConfigError(f"graph {graph_id!r} cannot be loaded: {type(e).__name__}: {e}") from e
        if callable(target) and not isinstance(target, Pregel | StateGraph):
            target = target()  # a factory
        if isinstance(target, StateGraph):
            target = target.compile()
        if not isinstance(target, Pregel):
            raise GraphConfigError(f"graph {graph_id!r}: {attribute} is not a LangGraph graph")
        return target

    def _module(self, graph_id: str, location: str) -> Any:
        if not location.endswith(".py"):
            return importlib.import_module(location)
        path = (self.base_dir / location).resolve()
        name = f"threadlog_graph_{graph_id}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise GraphConfigError(f"graph {graph_id!r}: no Python file at {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
