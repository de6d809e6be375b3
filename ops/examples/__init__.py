"""The example graph threadlog serves when no langgraph.json is given."""
