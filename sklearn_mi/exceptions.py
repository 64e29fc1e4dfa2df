"""Warning categories raised by sklearn_mi (all subclass :class:`MIWarning`).

Filter them with the standard :mod:`warnings` machinery, e.g.
``warnings.simplefilter("ignore", sklearn_mi.exceptions.SmallSampleWarning)``.
Training that ends at ``max_epochs`` while the held-out loss still improves
raises scikit-learn's :class:`~sklearn.exceptions.ConvergenceWarning`.
"""

__all__ = [
    "MIWarning",
    "CappedEstimateWarning",
    "UnboundedMIWarning",
    "SmallSampleWarning",
    "NonFiniteTrainingWarning",
    "OverfittingWarning",
    "HeavyTailWarning",
]


class MIWarning(UserWarning):
    """Base class of every warning sklearn_mi raises about an estimate."""


class CappedEstimateWarning(MIWarning):
    """An InfoNCE estimate is within ``max(0.1, 0.05 ln B)`` nats of its ceiling ``ln B``.

    The true MI may be much larger; use :class:`~sklearn_mi.InfoNCEAnchorMI`.
    """


class UnboundedMIWarning(MIWarning):
    """The data look deterministic (e.g. ``y = f(x)``): the true MI is infinite.

    The finite number returned tracks ``ln n`` or the estimator's ceiling, not
    a property of the data.
    """


class SmallSampleWarning(MIWarning):
    """Too few rows for a reliable estimate; read the standard error."""


class NonFiniteTrainingWarning(MIWarning):
    """The training loss or gradient became non-finite; training stopped early and
    the best finite weights were restored."""


class OverfittingWarning(MIWarning):
    """The MI on training batches is far above the held-out MI."""


class HeavyTailWarning(MIWarning):
    """Some columns are heavy-tailed (values far outside their interquartile range).

    After standard scaling the critic then sees a handful of extreme inputs and
    learns slowly; ``scaling="quantile"`` maps every column to a standard normal
    through its empirical CDF, which keeps the MI and removes the tails.
    """
