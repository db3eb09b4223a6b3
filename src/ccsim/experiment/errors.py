"""The experiment layer's error, in a module of its own so that the command line can
name it without importing the runner (and scipy, pandas and the model with it)."""

from __future__ import annotations


class WorkerError(RuntimeError):
    """A replication could not be computed (a worker died or the cluster failed)."""
