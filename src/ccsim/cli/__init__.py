"""The command line: one module per command family, each a thin layer over `ccsim.api`.

ccsim imports inside command functions keep `ccsim --help` quick to start.
"""

from ccsim.cli import history, planning, reports, scenarios, simulation  # noqa: F401 - commands
from ccsim.cli.app import app, main
from ccsim.cli.erlang import erlang_app

app.add_typer(erlang_app, name="erlang")

__all__ = ["app", "main"]
