"""Public neural MI estimators: thin named subclasses of :class:`NeuralMIEstimator`.

Each fixes an objective (``sklearn_mi.objectives``) and adds its own
parameters. All estimates are in nats.
"""

from __future__ import annotations

import numbers

from sklearn.utils._param_validation import Interval, StrOptions

from ._base import NeuralMIEstimator

__all__ = ["InfoNCEAnchorMI", "InfoNCEMI", "NWJMI", "DVMI", "MINEMI", "JSMI", "SMILEMI"]

_COMMON_PARAMETERS = """
    critic : {"separable", "joint", "bilinear"}, torch.nn.Module class or instance, \
default="separable"
        The critic network scoring (x, y) pairs. ``"separable"``: two MLP encoders
        and one matmul per batch (fast; the default). ``"joint"``: one MLP on
        ``[x; y]`` over all B x B pairs (more flexible, ~B times slower).
        ``"bilinear"``: ``x^T W y`` plus linear terms (linear dependence only).
        A user class is built as ``critic(x_dim, y_dim, **critic_params)`` and
        must return the (B, B) score matrix from ``forward(x, y)``; an instance
        is deep-copied at every ``fit``.
    hidden_layer_sizes : tuple of int, default=(256, 256)
        Hidden widths of the built-in MLP critics.
    embed_dim : int, default=32
        Embedding width of the separable critic.
    activation : {"relu", "tanh", "elu", "gelu", "silu"}, default="relu"
        Hidden activation of the built-in critics.
    critic_params : dict, default=None
        Extra keyword arguments for the critic's constructor.
    batch_size : int, default=128
        Pairs per training batch; each batch supplies B - 1 negatives per row.
        Bound estimates (InfoNCE, NWJ, DV, MINE, SMILE) are evaluated on batches
        of this size. Batches are balanced so no batch is tiny.
    max_epochs : int, default=100
        Maximum passes over the training split.
    learning_rate_init : float, default=1e-3
        Adam learning rate.
    weight_decay : float, default=0.0
        Adam weight decay (L2 penalty).
    early_stopping : bool, default=True
        Stop when the held-out *loss* has not improved for ``n_iter_no_change``
        epochs. The weights of the epoch with the best held-out loss are
        restored whenever a validation split exists (also without early
        stopping). The loss, not the MI estimate, is monitored: the estimate
        is highest at the most inflated epoch for plug-in estimators.
    validation_fraction : float in (0, 1) or None, default=0.2
        Fraction of the rows held out (a random split, never stratified on y)
        to monitor training and compute ``mutual_info_``. ``None`` trains on
        all rows (``early_stopping`` must then be False) and ``mutual_info_`` is
        computed in-sample (optimistic).
    n_iter_no_change : int, default=10
        Patience of early stopping, in epochs.
    tol : float, default=0.0
        Minimum decrease of the held-out loss counted as an improvement.
    weight_averaging : float in [0, 1), default=0.9
        Decay of an exponential moving average of the critic's weights
        (per training step, with a short warm-up). The averaged critic is the
        one validated, early-stopped on, restored and used for every
        estimate; 0 uses the raw weights. A plug-in estimate inherits the
        critic's step-to-step jitter; averaging removes most of it (over 15
        known-MI tasks x 3 seeds, doc/defaults.md). ``partial_fit`` streams
        are not averaged.
    discrete_y : bool or "auto", default="auto"
        One-hot encode y (categorical). ``"auto"``: only non-numeric y
        (strings, objects, booleans). Numeric y is scaled like X.
    scaling : {"auto", "quantile", "standard"} or None, default="auto"
        How the columns of X (and of numeric y) are mapped before the critic
        sees them; the map is fitted on the training rows only.
        ``"quantile"``: each column through its empirical CDF to a standard
        normal (:class:`~sklearn.preprocessing.QuantileTransformer`), a
        monotone map, so continuous columns keep their MI while heavy tails
        (y³, Cauchy, income-like data) disappear; held-out values beyond the
        training range are clipped to its extreme quantiles. ``"standard"``:
        zero mean, unit variance (an affine map). ``"auto"``: ``"quantile"``
        in ``fit``, ``"standard"`` (running mean and variance) for a stream
        started with ``partial_fit``, since a quantile map needs the data up
        front. ``None``: the values as they are. Over 15 known-MI tasks and 3
        seeds the quantile map cut InfoNCEAnchorMI's mean absolute error from
        0.263 to 0.174 nats and JSMI's from 0.336 to 0.151 (doc/defaults.md).
    warm_start : bool, default=False
        Reuse the critic (and scalers) of the previous ``fit``. By default every
        ``fit`` starts from fresh weights.
    device : {"auto", "cpu", "cuda"}, default="auto"
        Where the critic trains. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split, the weight initialisation, the batch
        shuffling and the evaluation batches. Same value, same result; the
        global numpy and torch RNG states are left untouched.
    verbose : int, default=0
        Print skorch's per-epoch table when > 0."""

_COMMON_ATTRIBUTES = """
    Attributes
    ----------
    mutual_info_ : float
        MI estimate (nats) on the internal validation split.
    mutual_info_se_ : float
        Its standard error (nats).
    net_ : skorch.NeuralNet
        The trained skorch net (``net_.module_`` is the critic).
    history_ : skorch.History
        Per-epoch ``train_loss``, ``valid_loss``, ``train_mi``, ``valid_mi``,
        ``valid_mi_se``, ``dur``.
    n_iter_ : int
        Number of epochs run.
    best_epoch_ : int
        Epoch (1-based) whose weights were kept.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of str
        Column names of X, when X is a DataFrame with string column names.
    scaling_ : {"quantile", "standard"} or None
        The input scaling in use (``scaling`` with ``"auto"`` resolved).
    degenerate_ : bool
        True when X or y was constant at ``fit``: the MI is exactly 0 and no
        critic is trained.
"""

_REFERENCES = """
    References
    ----------
    .. [1] "Contrastive Predictive Coding Done Right for Mutual Information
       Estimation", arXiv:2510.25983 (2025).
    .. [2] B. Poole, S. Ozair, A. van den Oord, A. Alemi, G. Tucker, "On
       Variational Bounds of Mutual Information", ICML 2019.
"""


def _doc(cls):
    cls.__doc__ = cls.__doc__.format(
        common=_COMMON_PARAMETERS, attributes=_COMMON_ATTRIBUTES, references=_REFERENCES
    )
    return cls


_BASE_PARAMS = dict(
    critic="separable",
    hidden_layer_sizes=(256, 256),
    embed_dim=32,
    activation="relu",
    critic_params=None,
    batch_size=128,
    max_epochs=100,
    learning_rate_init=1e-3,
    weight_decay=0.0,
    early_stopping=True,
    validation_fraction=0.2,
    n_iter_no_change=10,
    tol=0.0,
    weight_averaging=0.9,
    discrete_y="auto",
    scaling="auto",
    warm_start=False,
    device="auto",
    random_state=None,
    verbose=0,
)


@_doc
class InfoNCEAnchorMI(NeuralMIEstimator):
    """Mutual information by InfoNCE with an anchor class (plug-in, consistent).

    Trains the critic with the InfoNCE-anchor loss: InfoNCE's (K+1)-way
    classification plus an "anchor" class whose logit is pinned at
    ``log nu``. The pin removes InfoNCE's free per-row constant, so the
    critic converges to the log density ratio ``log p(x,y)/(p(x)p(y))`` and
    the MI is estimated by its plug-in mean over held-out joint pairs. The
    estimate is not capped at ``ln(batch_size)``.

    Parameters
    ----------
    nu : float > 0 or "auto", default="auto"
        Anchor weight. Any ``nu > 0`` is consistent; the anchor term carries
        weight ``nu / (K + nu)`` with ``K = batch_size - 1``. ``"auto"`` sets
        ``nu = sqrt(K)`` for each batch (11.3 at the default batch of 128).
        Measured in ``doc/defaults.md``: over 15 known-MI tasks and 3 seeds, with
        the default weight averaging, its mean absolute error was 0.052 nats
        (JSMI 0.106); ``nu = K`` read 0.128 (with averaging at 0.99): a strong
        anchor keeps the critic normalised, and a normalised critic's plug-in
        reads low wherever the fit is imperfect. ``nu = 1`` (the paper's choice)
        drifts high at large batches. The price of ``sqrt(K)``: at 8 nats with
        20 000 rows it read +4.6% where ``nu = K`` read -2.4%; pass
        ``nu=batch_size - 1`` for the conservative end.
{common}
{attributes}
    See Also
    --------
    InfoNCEMI : the same classifier without the anchor (a capped lower bound).
    JSMI : the binary (K = 1) special case.

    Notes
    -----
    With scores ``S[i, j] = c(x_i, y_j)`` on a batch of B pairs, row i's loss is
    ``K/(K+nu) * [LSE(log nu, positive tuple) - S[i,i]] + nu/(K+nu) * [LSE(log nu,
    anchor tuple) - log nu]``, both tuples holding K logits. Select
    hyperparameters with :func:`sklearn_mi.scoring.density_ratio_scorer`, not
    with ``score``: a larger plug-in value can mean an inflated critic.
{references}
    Examples
    --------
    >>> from sklearn_mi import InfoNCEAnchorMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=1.0, n_pairs=2, random_state=0)
    >>> est = InfoNCEAnchorMI(max_epochs=20, random_state=0).fit(X[:1500], Y[:1500])
    >>> round(true_mi, 2), abs(est.score(X[1500:], Y[1500:]) - true_mi) < 0.3
    (1.0, True)
    """

    _objective = "anchor"
    _parameter_constraints = {
        **NeuralMIEstimator._parameter_constraints,
        "nu": [Interval(numbers.Real, 0, None, closed="neither"), StrOptions({"auto"})],
    }

    def __init__(
        self,
        *,
        nu="auto",
        critic="separable",
        hidden_layer_sizes=(256, 256),
        embed_dim=32,
        activation="relu",
        critic_params=None,
        batch_size=128,
        max_epochs=100,
        learning_rate_init=1e-3,
        weight_decay=0.0,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=10,
        tol=0.0,
        weight_averaging=0.9,
        discrete_y="auto",
        scaling="auto",
        warm_start=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.nu = nu
        super().__init__(**{k: v for k, v in locals().items() if k in _BASE_PARAMS})


@_doc
class InfoNCEMI(NeuralMIEstimator):
    """Mutual information by the InfoNCE lower bound (capped at ``ln(batch_size)``).

    Trains the critic with InfoNCE and reports ``ln B - loss`` on held-out
    batches of ``B = batch_size`` pairs. Low variance, but the estimate can
    never exceed ``ln B``: a :class:`~sklearn_mi.exceptions.CappedEstimateWarning`
    is raised when it comes within ``max(0.1, 0.05 ln B)`` nats of it (0.24 at B = 128).

    Parameters
    ----------
{common}
{attributes}
    See Also
    --------
    InfoNCEAnchorMI : consistent plug-in estimate without the cap.
{references}
    Examples
    --------
    >>> from sklearn_mi import InfoNCEMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=0.5, random_state=0)
    >>> est = InfoNCEMI(max_epochs=20, random_state=0).fit(X, Y)
    >>> abs(est.mutual_info_ - true_mi) < 0.25
    True
    """

    _objective = "infonce"


@_doc
class NWJMI(NeuralMIEstimator):
    """Mutual information by the NWJ (f-divergence) lower bound.

    Reports ``mean S[i,i] - e^-1 mean_{{i != j}} exp(S[i,j])`` on held-out batches;
    the optimal critic is ``1 + log r``. Unbiased per batch but high variance
    at high MI.

    Parameters
    ----------
{common}
{attributes}
{references}
    Examples
    --------
    >>> from sklearn_mi import NWJMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=0.5, random_state=0)
    >>> est = NWJMI(max_epochs=20, random_state=0).fit(X, Y)
    >>> abs(est.mutual_info_ - true_mi) < 0.25
    True
    """

    _objective = "nwj"


@_doc
class DVMI(NeuralMIEstimator):
    """Mutual information by the Donsker-Varadhan lower bound.

    Reports ``mean S[i,i] - log mean_{{i != j}} exp(S[i,j])`` on held-out batches.
    Tightest of the bounds; its minibatch gradient is biased (see MINEMI).

    Parameters
    ----------
{common}
{attributes}
{references}
    Examples
    --------
    >>> from sklearn_mi import DVMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=0.5, random_state=0)
    >>> est = DVMI(max_epochs=20, random_state=0).fit(X, Y)
    >>> abs(est.mutual_info_ - true_mi) < 0.25
    True
    """

    _objective = "dv"


@_doc
class MINEMI(NeuralMIEstimator):
    """Mutual information by MINE: the DV bound with a moving-average gradient.

    Training corrects the DV gradient's bias with an exponential moving average
    of the batch partition term. The average lives only in the gradient: the
    reported number is the plain DV bound recomputed from the critic on the
    given data.

    Parameters
    ----------
    ema_decay : float in [0, 1), default=0.99
        Weight of the old moving average at each step.
{common}
{attributes}
    References
    ----------
    .. [1] M. I. Belghazi et al., "Mutual Information Neural Estimation",
       ICML 2018.

    Examples
    --------
    >>> from sklearn_mi import MINEMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=0.5, random_state=0)
    >>> est = MINEMI(max_epochs=20, random_state=0).fit(X, Y)
    >>> abs(est.mutual_info_ - true_mi) < 0.25
    True
    """

    _objective = "mine"
    _parameter_constraints = {
        **NeuralMIEstimator._parameter_constraints,
        "ema_decay": [Interval(numbers.Real, 0, 1, closed="left")],
    }

    def __init__(
        self,
        *,
        ema_decay=0.99,
        critic="separable",
        hidden_layer_sizes=(256, 256),
        embed_dim=32,
        activation="relu",
        critic_params=None,
        batch_size=128,
        max_epochs=100,
        learning_rate_init=1e-3,
        weight_decay=0.0,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=10,
        tol=0.0,
        weight_averaging=0.9,
        discrete_y="auto",
        scaling="auto",
        warm_start=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.ema_decay = ema_decay
        super().__init__(**{k: v for k, v in locals().items() if k in _BASE_PARAMS})


@_doc
class JSMI(NeuralMIEstimator):
    """Mutual information from a Jensen-Shannon (binary NCE) critic, read out plug-in.

    The critic is trained as a logistic classifier of joint against shuffled
    pairs (``mean softplus(-S[i,i]) + mean_{{i != j}} softplus(S[i,j])``), whose
    minimiser is the log density ratio; the MI is its plug-in mean on held-out
    joint pairs. The K = 1, nu = 1 special case of InfoNCE-anchor.

    Parameters
    ----------
{common}
{attributes}
{references}
    Examples
    --------
    >>> from sklearn_mi import JSMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=0.5, random_state=0)
    >>> est = JSMI(max_epochs=20, random_state=0).fit(X, Y)
    >>> abs(est.mutual_info_ - true_mi) < 0.25
    True
    """

    _objective = "js"


@_doc
class SMILEMI(NeuralMIEstimator):
    """Mutual information by SMILE: a JS-trained critic read out with a clipped DV bound.

    Parameters
    ----------
    clip : float > 0, default=5.0
        The clipping threshold tau of ``exp(clip(S, -tau, tau))`` in the
        partition term; ``numpy.inf`` gives DV on a JS-trained critic.
{common}
{attributes}
    References
    ----------
    .. [1] J. Song, S. Ermon, "Understanding the Limitations of Variational
       Mutual Information Estimators", ICLR 2020.

    Examples
    --------
    >>> from sklearn_mi import SMILEMI
    >>> from sklearn_mi.datasets import make_gaussian
    >>> X, Y, true_mi = make_gaussian(2000, mi=0.5, random_state=0)
    >>> est = SMILEMI(max_epochs=20, random_state=0).fit(X, Y)
    >>> abs(est.mutual_info_ - true_mi) < 0.25
    True
    """

    _objective = "smile"
    _parameter_constraints = {
        **NeuralMIEstimator._parameter_constraints,
        "clip": [Interval(numbers.Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        clip=5.0,
        critic="separable",
        hidden_layer_sizes=(256, 256),
        embed_dim=32,
        activation="relu",
        critic_params=None,
        batch_size=128,
        max_epochs=100,
        learning_rate_init=1e-3,
        weight_decay=0.0,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=10,
        tol=0.0,
        weight_averaging=0.9,
        discrete_y="auto",
        scaling="auto",
        warm_start=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.clip = clip
        super().__init__(**{k: v for k, v in locals().items() if k in _BASE_PARAMS})
