"""The experiment layer: replications on a local pool or a Dask cluster (same results),
the Result of a run with its estimates and document, the seed policy, what-if sweeps
and comparisons."""
