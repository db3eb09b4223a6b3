"""The terminal's tables: rich tables whose cells never lose characters (imports rich
alone, so that the CLI can use it without loading the rest of the report layer)."""

from __future__ import annotations

from typing import Any

from rich.console import OverflowMethod
from rich.table import Table


class Figures(Table):
    """A console table whose cells fold onto another line where a terminal is too narrow
    for them, instead of being cut (`59.3%–100…` lost a CI's upper end at 100 columns,
    and two swept keys both read `roster[…`: a walkthrough)."""

    def add_column(self, *args: Any, overflow: OverflowMethod = "fold", **kwargs: Any) -> None:
        super().add_column(*args, overflow=overflow, **kwargs)
