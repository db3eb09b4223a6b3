"""Duration distributions sampled by inverse transform (ccsim.distributions)."""

import math

import numpy as np
import pytest
from scipy import stats

from ccsim.model.distributions import quantile, sample
from ccsim.scenario.model import Distribution

N = 200_000
SEED = 31415

DISTS = [
    Distribution(dist="exponential", mean=4.0),
    Distribution(dist="lognormal", mean=3.0, cv=0.5),
    Distribution(dist="lognormal", mean=10.0, cv=1.2),
    Distribution(dist="gamma", mean=3.0, cv=0.5),
    Distribution(dist="gamma", mean=10.0, cv=0.8),
    Distribution(dist="gamma", mean=2.0, cv=1.5),  # shape < 1
    Distribution(dist="weibull", mean=3.0, shape=0.8),
    Distribution(dist="weibull", mean=5.0, shape=2.0),
]
IDS = [f"{d.dist}-{d.mean:g}-{d.cv or d.shape or ''}" for d in DISTS]


def scipy_twin(d: Distribution):
    """The same distribution in scipy.stats, parametrised from its mean and cv/shape."""
    m = d.mean
    if d.dist == "exponential":
        return stats.expon(scale=m)
    if d.dist == "lognormal":
        sigma2 = math.log(1 + d.cv**2)
        return stats.lognorm(s=math.sqrt(sigma2), scale=m * math.exp(-sigma2 / 2))
    if d.dist == "gamma":
        k = 1 / d.cv**2
        return stats.gamma(a=k, scale=m / k)
    assert d.dist == "weibull"
    return stats.weibull_min(c=d.shape, scale=m / math.gamma(1 + 1 / d.shape))


@pytest.mark.parametrize("d", DISTS, ids=IDS)
def test_variance_property_matches_the_family(d):
    twin = scipy_twin(d)
    assert twin.mean() == pytest.approx(d.mean, rel=1e-9)
    assert d.variance == pytest.approx(twin.var(), rel=1e-9)


@pytest.mark.parametrize("d", DISTS, ids=IDS)
def test_sample_mean_within_four_standard_errors(d):
    x = sample(d, np.random.default_rng(SEED), N)
    assert x.shape == (N,)
    assert np.all(x >= 0)
    assert abs(x.mean() - d.mean) < 4 * math.sqrt(d.variance / N)


@pytest.mark.parametrize(
    "d", [d for d in DISTS if d.cv is not None], ids=lambda d: f"{d.dist}-{d.cv}"
)
def test_sample_cv_near_configured_cv(d):
    x = sample(d, np.random.default_rng(SEED + 1), N)
    # Var(s²) ≈ σ⁴·(2/(n−1) + excess kurtosis/n); s/x̄ then has relative error ≈ half of s²'s
    # (plus the mean's relative error, which is cv/√n).
    kurtosis = float(scipy_twin(d).stats(moments="k"))
    rel_se = 0.5 * math.sqrt(2 / (N - 1) + kurtosis / N) + d.cv / math.sqrt(N)
    cv = x.std(ddof=1) / x.mean()
    assert cv == pytest.approx(d.cv, rel=4 * rel_se)


@pytest.mark.parametrize("d", DISTS, ids=IDS)
def test_quantile_equals_the_scipy_inverse_cdf(d):
    u = np.array([1e-9, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1 - 1e-9])
    np.testing.assert_allclose(quantile(d, u), scipy_twin(d).ppf(u), rtol=1e-7)


@pytest.mark.parametrize("d", DISTS, ids=IDS)
def test_quantile_is_monotone_in_u(d):
    # common random numbers rely on it: a larger uniform always gives a longer duration
    u = np.linspace(1e-6, 1 - 1e-6, 10_001)
    q = quantile(d, u)
    assert np.all(np.diff(q) > 0)
    extremes = quantile(d, np.array([1e-15, 1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12]))
    assert np.all(np.isfinite(extremes))
    assert np.all(np.diff(extremes) >= 0)


def test_exponential_quantile_closed_form():
    d = Distribution(dist="exponential", mean=2.5)
    u = np.random.default_rng(SEED).random(1000)
    np.testing.assert_allclose(quantile(d, u), -2.5 * np.log(1 - u), rtol=1e-12)
    assert quantile(d, np.array([0.0]))[0] == 0.0


@pytest.mark.parametrize("mean", [0.0, 1.5])
def test_fixed_gives_exactly_the_mean(mean):
    d = Distribution(dist="fixed", mean=mean)
    x = sample(d, np.random.default_rng(SEED), 1000)
    assert x.shape == (1000,)
    assert np.all(x == mean)
    assert d.variance == 0.0


@pytest.mark.parametrize("d", DISTS, ids=IDS)
def test_sample_is_quantile_of_the_generators_uniforms(d):
    # one uniform per draw, in order: what common random numbers need
    u = np.random.default_rng(SEED).random(500)
    np.testing.assert_array_equal(sample(d, np.random.default_rng(SEED), 500), quantile(d, u))


def test_quantile_keeps_the_shape_of_u():
    d = Distribution(dist="gamma", mean=3.0, cv=0.5)
    u = np.full((3, 4), 0.5)
    assert quantile(d, u).shape == (3, 4)
    assert quantile(Distribution(dist="fixed", mean=1.0), u).shape == (3, 4)
