"""The measure layer: the tables of each replication (per interval, group and channel),
service levels, targets, confidence intervals, the per-contact table."""
