"""Property test: mutated scenarios never make the loader raise anything but ScenarioError."""

from __future__ import annotations

import copy
import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import ccsim
from conftest import MINIMAL, SCENARIOS

_yaml = YAML(typ="safe", pure=True)
BASES: list[tuple[dict, str]] = [(_yaml.load(MINIMAL), ".")] + [
    (_yaml.load(p.read_text()), str(p.parent)) for p in sorted(SCENARIOS.glob("*.yaml"))
]


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-3, 3), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(-2, 2), max_size=2),
    st.sampled_from(
        [
            "20s",
            "4min",
            "-1h",
            "mon-fri",
            "25:00",
            "08:00-20:00",
            "off",
            "edf",
            "weibull",
            "1e309",
            "nan",
            "flat",
            "escalation",
            "phone",
        ]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutations_only_raise_scenario_error(data):
    base, base_dir = data.draw(st.sampled_from(BASES))
    doc = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = data.draw(st.sampled_from(["drop", "replace", "scale", "rename"]))
        key = path[-1]
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = data.draw(junk)
        elif action == "scale" and isinstance(parent[key], int | float):
            parent[key] = parent[key] * data.draw(st.sampled_from([-1, 0, 1e9, 1e-9, 1.5]))
        elif action == "rename" and isinstance(parent, dict):
            parent[data.draw(st.text(min_size=1, max_size=8))] = parent.pop(key)
    buffer = io.StringIO()
    _yaml.dump(doc, buffer)
    try:
        ccsim.loads(buffer.getvalue(), name="fuzz.yaml", base_dir=base_dir)
    except ccsim.ScenarioError as exc:
        assert exc.messages and all(str(m).startswith("fuzz.yaml") for m in exc.messages)
