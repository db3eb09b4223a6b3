"""The model layer: random streams, distributions, arrivals, contacts, the anger curve,
queues, routing, shifts and the SimPy engine; `ccsim.model.replication.run_replication`
simulates one replication of a scenario. The package itself imports none of its modules
(a light one such as `work` costs no SimPy)."""
