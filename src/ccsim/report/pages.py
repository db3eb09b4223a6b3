"""The HTML pages' templates (ccsim/report/templates/, each extending page.html, which
holds the shared head and styles): one Jinja2 environment for every report."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader

_PAGES = Environment(
    loader=PackageLoader("ccsim.report"), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


def render(template: str, **context: Any) -> str:
    """The page `template` (e.g. "report.html") rendered with `context`."""
    return _PAGES.get_template(template).render(**context)
