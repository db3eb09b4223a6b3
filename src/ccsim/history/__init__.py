"""The history layer: contact logs read into one tidy table, a scenario fitted from a
log's period, and a backtest of a scenario against another period of the log."""
