"""The model layer: random streams, distributions, arrivals, contacts, the anger curve,
queues, routing, shifts and the SimPy engine; `run_replication` simulates one
replication of a scenario."""

from ccsim.model.replication import Replication, run_replication, time_span

__all__ = ["Replication", "run_replication", "time_span"]
