"""The finance layer: what a roster costs — wages, overhead, per-contact costs, FTE and
hires (`ccsim.finance.cost`)."""
