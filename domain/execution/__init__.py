"""Running LangGraph graphs as runs: graphs, the event-sourced checkpointer and workers."""
