"""The model layer's error, in a module of its own so that the command line can name it
without importing the model (`ccsim.model.work` raises it)."""

from __future__ import annotations


class WorkLimitError(ValueError):
    """A replication would need more memory than allowed (the message says how much)."""
