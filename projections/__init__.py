"""The read side: views kept up to date from the thread log."""
