"""The bundled scenario files load, and describe what their comments promise."""

from __future__ import annotations

import re
import typing

import pydantic
import pytest
from ruamel.yaml import YAML

import ccsim
from ccsim.scenario.model import json_schema
from conftest import ROOT, SCENARIOS

FILES = sorted(SCENARIOS.glob("*.yaml"))


def test_there_are_bundled_scenarios():
    names = {p.name for p in FILES}
    assert {"ecommerce_omnichannel.yaml", "erlang_check.yaml", "small_shop.yaml"} <= names


# the one warning a bundled file keeps, and why: docs/scenario-format.md, "Warnings"
KEPT = {
    "small_shop.yaml": [
        "simulation.warmup: the warm-up begins at sun 00:00, while 'email' has been closed "
        "since fri 17:00: what arrives in between is never simulated, so the backlog it "
        "leaves is missing (a warm-up of 55h, from that closing, holds it)"
    ],
    "large_center.yaml": [
        "channels.chat.open: 9% of the forecast arrives while the channel is closed: those "
        "attempts are lost, not offered, and no figure counts them but `closed` (open it "
        "then, or move the volume in arrivals)"
    ],
}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_bundled_scenario_loads_without_warnings(path):
    s = ccsim.load(path)
    assert s.name
    assert [str(w).split(": warning: ")[-1] for w in s.warnings] == KEPT.get(path.name, [])


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

    def named(key: str) -> bool:
        # as a key (`key:` in a YAML block or a flow mapping) or in code (`key`), not as a
        # word of prose: `min` is the unit of `4min` and named no `min` key
        k = re.escape(key)
        return bool(
            re.search(rf"^[\s-]*{k}:|[{{,]\s*{k}:", text, re.M)
            or re.search(rf"`[^`\n]*(?<![\w-]){k}(?![\w-])[^`\n]*`", text)
        )

    missing = sorted(k for k in keys if not named(k))
    assert len(keys) > 50 and not missing, missing
    assert "contract" in text and not named("contract")  # a word of the page is no key


def _empty_keys(value, path="") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _empty_keys(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _empty_keys(v, f"{path}[{i}]")]
    return [path] if value is None else []


def _nullable_fields_with_a_default(cls, seen) -> list[str]:
    """Fields of `cls` and the models inside it that take None but default to a value."""
    if cls in seen:
        return []
    seen.add(cls)
    out = []
    for name, field in cls.model_fields.items():
        nested = [field.annotation]
        nullable = type(None) in typing.get_args(field.annotation)
        if nullable and field.get_default(call_default_factory=True) is not None:
            out.append(f"{cls.__name__}.{name}")
        while nested:
            t = nested.pop()
            if isinstance(t, type) and issubclass(t, pydantic.BaseModel):
                out += _nullable_fields_with_a_default(t, seen)
            nested += typing.get_args(t)
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_scenario_written_back_has_no_empty_keys_and_is_the_same(path, tmp_path):
    # to_yaml wrote every field without a value as an empty key (`cv:`, `start:`,
    # `fitted:`: 292 lines for small_shop); it leaves them out, which is safe because no
    # field that takes None defaults to anything else
    assert _nullable_fields_with_a_default(ccsim.Scenario, set()) == []
    s = ccsim.load(path)
    written = s.to_yaml()
    assert _empty_keys(YAML(typ="safe").load(written)) == []
    copy = tmp_path / path.name
    copy.write_text(written, encoding="utf-8")
    for name, source in s.files().items():  # its count and staffing tables, beside it
        (tmp_path / name).write_bytes(source.read_bytes())
    assert ccsim.load(copy).same_as(s)


def test_a_duration_of_zero_is_written_with_its_unit_not_as_quoted_text():
    # `warmup: '0'` and `stagger: '0'`: a number in quotes, where every other duration is
    # written with its unit
    s = ccsim.with_changes(ccsim.load(SCENARIOS / "small_shop.yaml"), {"simulation.warmup": 0})
    data = YAML(typ="safe").load(s.to_yaml())
    assert data["simulation"]["warmup"] == "0min"
    staggers = [b["stagger"] for x in data["shifts"].values() for b in x.get("breaks") or []]
    assert "0min" in staggers and "0" not in staggers
    assert ccsim.loads(s.to_yaml()).plain() == s.plain()


def test_a_none_in_the_files_own_mapping_is_written_back():
    # `open: {sat: null}` (closed on Saturday) lost its key, and `open: {}` was refused
    s = ccsim.with_changes(
        ccsim.load(SCENARIOS / "small_shop.yaml"),
        {"channels.phone.open": {"mon-fri": "09:00-17:00", "sat": None}},
    )
    again = ccsim.loads(s.to_yaml())
    assert again.channels["phone"].open == {"mon-fri": "09:00-17:00", "sat": None}
    assert again.plain() == s.plain()
