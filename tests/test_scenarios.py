"""The bundled scenario files load, and describe what their comments promise."""

from __future__ import annotations

import re

import pytest

import ccsim
from ccsim.scenario.model import json_schema
from conftest import ROOT, SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_bundled_scenarios():
    names = {p.name for p in FILES}
    assert {"ecommerce_omnichannel.yaml", "erlang_check.yaml", "small_shop.yaml"} <= names


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_bundled_scenario_loads_without_warnings(path):
    s = ccsim.load(path)
    assert s.name
    assert [str(w) for w in s.warnings] == []


def test_ecommerce_example_matches_the_design():
    s = ccsim.load(SCENARIOS / "ecommerce_omnichannel.yaml")
    kinds = {name: ch.kind for name, ch in s.channels.items()}
    assert kinds == {
        "phone": "voice",
        "chat": "chat",
        "whatsapp": "message",
        "email": "message",
        "social": "message",
    }
    for reason in (
        "lost_parcel",
        "exchange_return",
        "card_dispute",
        "incomplete_payment",
        "faulty_product",
        "question",
    ):
        assert reason in s.reasons
    assert 10_000 <= sum(a.weekly for a in s.arrivals.values()) <= 20_000
    service = {ch: [(t.within, t.at_least) for t in tg.service] for ch, tg in s.targets.items()}
    assert service["social"] == [(60, 0.47), (1440, 0.84)]
    assert service["email"] == [(60, 0.31), (1440, 0.81)]
    assert service["escalation"] == [(2880, 0.90)]
    assert {"phone", "chat", "whatsapp"} <= set(service)
    assert sum(s.agents_per_group().values()) > 0


def test_erlang_check_is_the_erlang_a_form():
    s = ccsim.load(SCENARIOS / "erlang_check.yaml")
    assert list(s.channels) == ["phone"] and s.channels["phone"].kind == "voice"
    assert s.anger.enabled is False and s.shrinkage == 0
    assert s.channels["phone"].patience.dist == "exponential"
    assert s.channels["phone"].patience.mean == 5
    (reason,) = s.reasons.values()
    assert reason.resolve.dist == "exponential" and reason.resolve.mean == 3
    assert s.arrivals["phone"].weekly == 100 * 48 * 7


def test_every_key_of_the_schema_is_named_in_the_format_docs():
    """A maintainer who adds a field documents it (the contract the file format follows is
    kept outside the repository; docs/scenario-format.md is the reference inside it)."""
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json_schema())
    text = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    missing = sorted(k for k in keys if not re.search(rf"\b{re.escape(k)}\b", text))
    assert len(keys) > 50 and not missing, missing
