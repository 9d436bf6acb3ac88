"""The case-mix model fitted within providers: logistic regression with one
intercept per provider.

If the providers are left out of the model, the customer coefficients are fitted
partly on the very differences between providers that are to be judged: a
provider that is alone in a service, or that holds half the records, pulls the
"expected" towards its own result and is then found "as expected" whatever it
does (and pushes its competitors the other way). With a provider intercept the
coefficients come from differences between customers *of the same provider*
only, as in the fixed-effects models used for hospital profiling.

The model, on grouped rows (one per provider and customer profile)::

    logit P(success) = alpha[provider] + x . beta

is fitted by Newton's method on the whole parameter vector. The Hessian's
provider block is diagonal, so each step solves only the small covariate block
(its Schur complement), which keeps a register of 2,000 providers at a few
dense p x p solves per step. A tiny ridge keeps every estimate finite when a
provider (or a customer level) has only successes or only failures: such a
provider's records then carry no information on beta, which is right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.special import expit

# Small against the information of any group of K records (n p (1 - p) >= 1),
# large enough to keep separated estimates finite.
RIDGE = 1e-4
_MAX_STEPS = 100
_TOLERANCE = 1e-9  # largest change of any coefficient in a step


@dataclass(frozen=True)
class WithinFit:
    beta: np.ndarray  # covariate coefficients
    alpha: np.ndarray  # one intercept per provider
    cov: np.ndarray  # covariance of beta with the provider intercepts profiled out
    steps: int


def _loglik(eta: np.ndarray, wins: np.ndarray, trials: np.ndarray) -> float:
    return float(np.sum(wins * eta - trials * np.logaddexp(0.0, eta)))


def fit_within(
    x: np.ndarray,
    provider: np.ndarray,
    n_providers: int,
    wins: np.ndarray,
    trials: np.ndarray,
) -> WithinFit:
    """Penalised maximum likelihood of the provider-intercept logistic model.

    ``x`` holds one row per group (no intercept column), ``provider`` the
    group's provider code (0..n_providers-1), ``wins``/``trials`` its counts.
    """
    n, p = x.shape
    members = sparse.csr_matrix(
        (np.ones(n), (provider, np.arange(n))), shape=(n_providers, n)
    )
    beta = np.zeros(p)
    # Start every provider at its own (smoothed) log-odds: few steps remain.
    own_wins = members @ wins
    own_trials = members @ trials
    alpha = np.log((own_wins + 0.5) / (own_trials - own_wins + 0.5))

    def objective(a: np.ndarray, b: np.ndarray) -> float:
        eta = a[provider] + x @ b
        return _loglik(eta, wins, trials) - 0.5 * RIDGE * (a @ a + b @ b)

    current = objective(alpha, beta)
    schur = np.eye(p)
    steps = 0
    while steps < _MAX_STEPS:
        steps += 1
        eta = alpha[provider] + x @ beta
        mu = expit(eta)
        residual = wins - trials * mu
        weight = trials * mu * (1.0 - mu)
        grad_a = members @ residual - RIDGE * alpha
        grad_b = x.T @ residual - RIDGE * beta
        diag = members @ weight + RIDGE  # the provider block, diagonal
        cross = members @ (weight[:, None] * x)  # providers x covariates
        root = x * np.sqrt(weight)[:, None]
        # z'z rather than x'Wx: several times faster in OpenBLAS on thin matrices.
        h_bb = root.T @ root + RIDGE * np.eye(p)
        schur = h_bb - cross.T @ (cross / diag[:, None])
        d_beta = np.linalg.solve(schur, grad_b - cross.T @ (grad_a / diag))
        d_alpha = (grad_a - cross @ d_beta) / diag
        # Step halving: Newton can overshoot where a probability is near 0 or 1.
        size = 1.0
        while True:
            new_a, new_b = alpha + size * d_alpha, beta + size * d_beta
            value = objective(new_a, new_b)
            if value >= current - 1e-12 or size < 1e-6:
                break
            size /= 2.0
        change = max(np.max(np.abs(new_a - alpha), initial=0.0),
                     np.max(np.abs(new_b - beta), initial=0.0))
        alpha, beta, current = new_a, new_b, value
        if change < _TOLERANCE:
            break
    return WithinFit(beta=beta, alpha=alpha, cov=np.linalg.inv(schur), steps=steps)
