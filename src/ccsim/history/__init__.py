"""The history layer: contact logs read into one tidy table, a scenario fitted from a
log's period, a backtest of a scenario against another period of the log, and
forecasts of a log's weekly volumes (totals per interval and day, then ETS/MSTL)."""
