"""The scenario layer: the scenario format as pydantic models, its cross-field rules,
the loader that points every problem at its file line, what-if changes, the time grid
and the `show` summary. Imports nothing else of ccsim.

Its modules are imported one by one (`ccsim.scenario.loader`, `.model`, …); the package
itself imports none, so that a light one (`problems`, `units`) costs no pandas."""
