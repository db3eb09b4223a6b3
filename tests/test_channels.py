"""Message disciplines, service-level definitions, prepared answers."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.measure import service_level
from ccsim.measure.confidence import t_interval
from ccsim.model.queues import EdfBacklog, FifoBacklog
from conftest import MINIMAL, simulate_default

BACKLOG = """\
name: overnight e-mail backlog
simulation: {{horizon: 7d, warmup: 1d, interval: 1h, replications: 6, seed: 3}}
channels:
  email: {{kind: message, discipline: {discipline}}}
arrivals:
  email: {{weekly: 2100, intraday: flat}}
reasons:
  question: {{mix: {{email: 1.0}}, resolve: {{dist: exponential, mean: 6min}}}}
anger: off
groups:
  team: {{skills: {{email: 1}}}}
shifts:
  office: {{start: "09:00", length: 8h, days: mon-sun}}
roster:
  - {{group: team, shift: office, agents: 3}}
targets:
  email: {{service: [{{within: 1h, at_least: 0.5}}, {{within: 24h, at_least: 0.9}}]}}
"""


def test_edf_serves_contacts_that_can_still_make_their_target_first():
    arrival = [0.0, 10.0, 100.0, 130.0]
    queue = EdfBacklog(arrival, thresholds=[60.0, 1440.0])
    for c in range(4):
        queue.push(c)
    # at t=140 contacts 0 and 1 are past 1 h; 2 (deadline 160) and 3 (190) are not
    order = []
    for _ in range(4):
        queue.peek(140.0)
        order.append(queue.pop())
    assert order == [2, 3, 0, 1]
    fifo = FifoBacklog(arrival)
    for c in range(4):
        fifo.push(c)
    served = []
    for _ in range(4):
        served.append((fifo.peek(140.0), fifo.pop()))  # peek: the arrival of the next
    assert served == [(0.0, 0), (10.0, 1), (100.0, 2), (130.0, 3)]
    assert fifo.peek(140.0) == float("inf") and len(fifo) == 0


def _edf_choice(arrival: list[float], thresholds: list[float], waiting: set[int], now: float):
    """The deadline an EDF queue must serve next at `now`: (0, earliest reachable target
    deadline), or (1, arrival) of the oldest when every waiting contact is past all."""

    def key(c: int) -> tuple[int, float]:
        reachable = [arrival[c] + t for t in thresholds if arrival[c] + t >= now]
        return (0, min(reachable)) if reachable else (1, arrival[c])

    return min(key(c) for c in waiting), key


def test_edf_holds_for_contacts_queued_out_of_arrival_order():
    # escalations join when their first handling ends but keep their first arrival
    # (deadlines run from it): the queue assumed arrival order and served a contact due
    # at 110 before one due at 60
    queue = EdfBacklog([0.0, 50.0], thresholds=[60.0, 1440.0])
    queue.push(1)
    queue.push(0)
    queue.peek(55.0)
    assert queue.pop() == 0
    rng = np.random.default_rng(3)
    thresholds = [60.0, 240.0]
    for _ in range(200):  # pushes in random order, pops at random times: always EDF
        arrival = np.sort(rng.uniform(0, 1000, 40)).tolist()
        queue, waiting, now = EdfBacklog(arrival, thresholds), set(), 0.0
        for c in rng.permutation(40).tolist() + [None] * 40:
            now += float(rng.uniform(0, 20))
            if c is not None and rng.random() < 0.7:
                queue.push(c)
                waiting.add(c)
            if waiting and (c is None or rng.random() < 0.5):
                best, key = _edf_choice(arrival, thresholds, waiting, now)
                queue.peek(now)
                got = queue.pop()
                assert key(got) == best
                waiting.discard(got)
        assert len(queue) == len(waiting)


def test_edf_raises_the_short_target_on_an_overnight_backlog():
    fifo = simulate_default(BACKLOG.format(discipline="fifo")).summary
    edf = simulate_default(BACKLOG.format(discipline="edf")).summary
    # common random numbers: same contacts, only the order of service differs
    assert (fifo["offered"].to_numpy() == edf["offered"].to_numpy()).all()
    mean, lo, _ = t_interval(edf["sl_1h"].to_numpy() - fifo["sl_1h"].to_numpy())
    assert lo > 0, f"EDF gain on the 1-h target {mean:.3f}"


def test_service_level_definitions():
    # the last contact is still waiting at the end: neither answered nor abandoned
    elapsed = np.array([0.1, 0.5, np.nan, np.nan, 2.0, np.nan])
    answered = np.array([True, True, False, False, True, False])
    abandoned = np.array([False, False, True, True, False, False])
    waited = np.array([0.1, 0.5, 0.2, 3.0, 2.0, 5.0])
    sl = lambda d: service_level.service_level(elapsed, answered, abandoned, waited, 1.0, d)  # noqa: E731
    assert sl("offered") == pytest.approx(2 / 6)
    assert sl("exclude_short_abandons") == pytest.approx(2 / 5)  # the 0.2-min abandon is out
    assert sl("answered") == pytest.approx(2 / 3)  # the waiting one is not answered
    with pytest.raises(ValueError):
        sl("median")


@pytest.mark.parametrize(
    ("within", "text"),
    [(1 / 3, "sl_20s"), (1, "sl_1min"), (60, "sl_1h"), (1440, "sl_24h"), (1.5, "sl_90s")],
)
def test_service_level_labels(within, text):
    assert service_level.label(within) == text


def test_service_level_definition_is_applied_by_the_simulation():
    results = {}
    for definition in service_level.DEFINITIONS:
        text = MINIMAL.replace("  interval: 1h", f"  interval: 1h\n  sl_definition: {definition}")
        text = text.replace("agents: 3}", "agents: 1}")  # busy enough to abandon
        results[definition] = ccsim.simulate(ccsim.loads(text), 2, 8).summary
    phone = {d: r.query("channel == 'phone'")["sl_20s"].to_numpy() for d, r in results.items()}
    assert (phone["offered"] <= phone["exclude_short_abandons"]).all()
    assert (phone["exclude_short_abandons"] <= phone["answered"]).all()
    assert (phone["offered"] < phone["answered"]).all()


def test_anger_shortens_each_callers_patience_by_the_patience_drop():
    # patience × (1 − patience_drop · a0), caller by caller, on the same draws
    from ccsim.model.replication import run_replication
    from ccsim.model.streams import replication_seed

    seed = replication_seed(5, 0)
    calm = run_replication(ccsim.loads(MINIMAL + "anger: {patience_drop: 0}\n"), seed).contacts
    drop = run_replication(ccsim.loads(MINIMAL + "anger: {patience_drop: 0.3}\n"), seed).contacts
    phone = np.isfinite(calm.patience)
    assert phone.sum() > 100 and (drop.a0 == calm.a0).all()
    np.testing.assert_allclose(
        drop.patience[phone], calm.patience[phone] * (1 - 0.3 * calm.a0[phone]), rtol=1e-12
    )


def test_prepared_answers_shorten_resolution_by_the_speedup():
    from ccsim.model.replication import run_replication
    from ccsim.model.streams import replication_seed

    base = ccsim.loads(MINIMAL)
    prepared = ccsim.loads(
        MINIMAL.replace(
            "resolve: {mean: 3min, cv: 0.5}",
            "resolve: {mean: 3min, cv: 0.5}\n    prepared_answer: true",
        )
    )
    seed = replication_seed(5, 0)
    a, b = run_replication(base, seed).contacts, run_replication(prepared, seed).contacts
    question = a.reason == 0
    np.testing.assert_allclose(b.resolve[question], a.resolve[question] * (1 - 0.30))
    np.testing.assert_array_equal(b.resolve[~question], a.resolve[~question])
