r"""The one place where scikit-learn penalties and prior scales are converted.

Derivations
-----------
With Gaussian noise :math:`y_i = b_0 + x_i^\top\beta + \varepsilon_i`,
:math:`\varepsilon_i \sim N(0, \sigma^2)` and a flat prior on :math:`b_0`, the negative log
posterior is, up to constants,

.. math:: \frac{1}{2\sigma^2}\lVert y - b_0 - X\beta\rVert_2^2 - \log p(\beta).

**Gaussian prior** :math:`\beta_j \sim N(0, \tau^2)`: :math:`-\log p(\beta) =
\lVert\beta\rVert_2^2 / (2\tau^2)`. Multiplying the objective by :math:`2\sigma^2` gives
scikit-learn's Ridge objective :math:`\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_2^2`
with

.. math:: \alpha = \sigma^2 / \tau^2, \qquad \tau = \sigma / \sqrt{\alpha}.

**Laplace prior** :math:`\beta_j \sim \mathrm{Laplace}(0, b)`: :math:`-\log p(\beta) =
\lVert\beta\rVert_1 / b`. Multiplying by :math:`\sigma^2 / n` gives scikit-learn's Lasso objective
:math:`\frac{1}{2n}\lVert y - b_0 - X\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1` with

.. math:: \alpha = \frac{\sigma^2}{n\, b}, \qquad b = \frac{\sigma^2}{n\,\alpha}.

**Elastic-net prior** with density :math:`\propto \exp\{-\lambda_1\lVert\beta\rVert_1
- \tfrac{\lambda_2}{2}\lVert\beta\rVert_2^2\}`: multiplying by :math:`\sigma^2/n` gives
scikit-learn's ElasticNet objective :math:`\frac{1}{2n}\lVert\cdot\rVert^2 + \alpha\rho\lVert\beta\rVert_1
+ \frac{\alpha(1-\rho)}{2}\lVert\beta\rVert_2^2` with :math:`\lambda_1 = n\alpha\rho/\sigma^2` and
:math:`\lambda_2 = n\alpha(1-\rho)/\sigma^2` (see :func:`bayesreg.priors.elasticnet.penalty_weights`).
"""

from __future__ import annotations

from ._validation import check_int, check_positive
from .likelihoods import get_likelihood

__all__ = ["alpha_to_scale", "rescale_alpha", "scale_to_alpha"]


def _scale_family(prior):
    from .priors import get_family

    try:
        family = get_family(prior)
    except (TypeError, ValueError):
        family = None
    if family not in _convertible():
        names = " or ".join(repr(f.name) for f in _convertible())
        raise ValueError(f"prior must be {names} (or an alias) for an alpha <-> scale "
                         f"conversion; got {prior!r}")
    return family


def _convertible():
    from .priors import ScaleFamily, families

    return [f for f in families() if isinstance(f, ScaleFamily) and f.alpha_parts(1.0, None) is not None]


def alpha_to_scale(alpha: float | None = None, prior="laplace", n_samples: int | None = None,
                   sigma: float | None = None, *, C: float | None = None) -> float:
    r"""Prior scale whose MAP equals scikit-learn's penalised fit at ``alpha`` (or at ``C``).

    With ``C`` instead of ``alpha`` (logistic regression, ``family="bernoulli"``):
    ``LogisticRegression(C=C)``'s L2 penalty is the Gaussian prior with sd :math:`\sqrt C` and its
    L1 penalty the Laplace prior with :math:`b = C` (n and σ play no part).

    Parameters
    ----------
    alpha : float
        scikit-learn's penalty (``Ridge(alpha=...)`` or ``Lasso(alpha=...)``), > 0.
    prior : str or prior object
        ``"gaussian"`` (Ridge) or ``"laplace"`` (Lasso), or a :class:`bayesreg.Gaussian` /
        :class:`bayesreg.Laplace` instance (any registered family with one scale and a penalty).
    n_samples : int
        Number of observations :math:`n` (only the Laplace conversion uses it, because
        scikit-learn's Lasso divides the squared error by :math:`2n`).
    sigma : float
        Noise standard deviation :math:`\sigma`.

    C : float, optional
        ``LogisticRegression(C=...)``, > 0; give it instead of ``alpha``, ``n_samples``, ``sigma``.

    Returns
    -------
    float
        Gaussian: the prior standard deviation :math:`\tau = \sigma/\sqrt{\alpha}` (:math:`\sqrt C`).
        Laplace: the prior scale :math:`b = \sigma^2 / (n\alpha)` (C).
    """
    family = _scale_family(prior)
    if alpha is None and C is None:
        raise TypeError("alpha is required (or C= for scikit-learn's LogisticRegression)")
    if C is not None:
        if alpha is not None:
            raise ValueError("give alpha (with n_samples and sigma) or C, not both")
        C = check_positive(C, "C", allow_none=False)
        logistic = get_likelihood("bernoulli")  # σ = 1 and α = 1/(w(n) C), for any n
        return family.alpha_to_scale(logistic.alpha_from_C(family, C, 1), 1, 1.0)
    alpha = check_positive(alpha, "alpha", allow_none=False)
    sigma = check_positive(sigma, "sigma", allow_none=False)
    n_samples = check_int(n_samples, "n_samples", 1)
    return family.alpha_to_scale(alpha, n_samples, sigma)


def scale_to_alpha(scale: float, prior="laplace", n_samples: int | None = None,
                   sigma: float | None = None, *, family: str = "gaussian") -> float:
    r"""scikit-learn penalty whose solution is the MAP under a prior of this ``scale``.

    Inverse of :func:`alpha_to_scale`: Gaussian :math:`\alpha = \sigma^2/\tau^2`,
    Laplace :math:`\alpha = \sigma^2/(n\,b)`. With ``family="bernoulli"`` it returns
    ``LogisticRegression``'s C instead: :math:`\tau^2` (Gaussian) or b (Laplace); ``n_samples`` and
    ``sigma`` are then not needed.
    """
    likelihood = get_likelihood(family)
    spec = _scale_family(prior)
    scale = check_positive(scale, "scale", allow_none=False)
    if not likelihood.has_sigma:
        return likelihood.C_from_alpha(spec, spec.scale_to_alpha(scale, 1, 1.0), 1)
    family = spec
    sigma = check_positive(sigma, "sigma", allow_none=False)
    n_samples = check_int(n_samples, "n_samples", 1)
    return family.scale_to_alpha(scale, n_samples, sigma)


def rescale_penalty_parts(l1_part: float, l2_part: float, x_scale: float,
                          y_scale: float) -> tuple[float, float]:
    r"""A penalty's L1 and L2 parts for the same problem after :math:`X \to X/c_x`, :math:`y \to y/c_y`.

    With :math:`\beta = (c_y/c_x)\tilde\beta` the squared-error term scales by :math:`c_y^2`, the
    L1 term by :math:`c_y/c_x` and the squared L2 term by :math:`c_y^2/c_x^2`, so the L1 part
    becomes :math:`a_1/(c_x c_y)` and the L2 part :math:`a_2/c_x^2` (Ridge's
    :math:`\tilde\alpha = \alpha/c_x^2`, Lasso's :math:`\tilde\alpha = \alpha/(c_x c_y)`).
    """
    return l1_part / (x_scale * y_scale), l2_part / x_scale**2


def rescale_alpha(family, alpha: float, l1_ratio: float | None, x_scale: float,
                  y_scale: float) -> tuple[float, float | None]:
    """``(alpha, l1_ratio)`` for the standardized problem (:func:`rescale_penalty_parts`)."""
    from .priors import get_family

    family = get_family(family)
    l1_part, l2_part = family.alpha_parts(alpha, l1_ratio)
    return family.alpha_from_parts(*rescale_penalty_parts(l1_part, l2_part, x_scale, y_scale))
