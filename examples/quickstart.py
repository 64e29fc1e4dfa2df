"""Quickstart: fit InfoNCEAnchorMI on a Gaussian task with known MI, read the estimate,
its confidence interval, and cross-validated held-out MI (all in nats).

    python examples/quickstart.py
"""

from sklearn.model_selection import cross_val_score

from sklearn_mi import InfoNCEAnchorMI
from sklearn_mi.datasets import make_gaussian

X, Y, true_mi = make_gaussian(6000, mi=3.0, n_pairs=5, random_state=0)
est = InfoNCEAnchorMI(random_state=0).fit(X[:5000], Y[:5000])
held = est.estimate(X[5000:], Y[5000:])
lo, hi = held.confidence_interval(0.95)
print(f"true MI {true_mi:.3f} nats")
print(f"internal validation split: {est.mutual_info_:.3f} ± {est.mutual_info_se_:.3f}")
print(f"fresh held-out pairs:      {held.mi:.3f} ± {held.se:.3f}  (95% CI {lo:.3f} .. {hi:.3f})")
print("3-fold cross_val_score:   ", cross_val_score(InfoNCEAnchorMI(random_state=0), X, Y, cv=3))
