"""sklearn_mi: neural mutual-information estimation as scikit-learn estimators.

All estimates are in nats (bits = nats / ln 2).
"""

from ._base import MIEstimate, NeuralMIEstimator
from .estimators import DVMI, JSMI, MINEMI, NWJMI, SMILEMI, InfoNCEAnchorMI, InfoNCEMI

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
]
