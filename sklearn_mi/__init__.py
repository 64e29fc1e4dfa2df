"""sklearn_mi: neural mutual-information estimation as scikit-learn estimators.

All estimates are in nats (bits = nats / ln 2).
"""

# submodules reachable as attributes (sklearn_mi.scoring.density_ratio_scorer, ...)
from . import datasets, discrete, exceptions, model_selection, neighbors, scoring  # noqa: F401
from ._base import MIEstimate, NeuralMIEstimator
from .estimators import DVMI, JSMI, MINEMI, NWJMI, SMILEMI, InfoNCEAnchorMI, InfoNCEMI
from .feature_selection import (
    MutualInfoSelector,
    NeuralMutualInfo,
    PerFeatureMI,
    neural_mutual_info_classif,
    neural_mutual_info_regression,
)
from .model_selection import CrossValMI, cross_val_mi

__version__ = "0.1.0"

__all__ = [
    "InfoNCEAnchorMI",
    "InfoNCEMI",
    "NWJMI",
    "DVMI",
    "MINEMI",
    "JSMI",
    "SMILEMI",
    "NeuralMIEstimator",
    "MIEstimate",
    "MutualInfoSelector",
    "NeuralMutualInfo",
    "PerFeatureMI",
    "neural_mutual_info_regression",
    "neural_mutual_info_classif",
    "cross_val_mi",
    "CrossValMI",
]
