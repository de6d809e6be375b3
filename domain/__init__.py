"""The write side: the Thread aggregate, its events and the Threads application."""
