"""The same calls under joblib's dask backend (LocalCluster, processes, loopback) = serial."""

import warnings

import numpy as np
import pytest
import torch

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

from sklearn_mi import InfoNCEAnchorMI  # noqa: E402
from sklearn_mi.feature_selection import (  # noqa: E402
    MutualInfoSelector,
    neural_mutual_info_regression,
)
from sklearn_mi.model_selection import cross_val_mi  # noqa: E402

EST = InfoNCEAnchorMI(
    hidden_layer_sizes=(16, 16), embed_dim=8, batch_size=64, max_epochs=8,
    n_iter_no_change=3, learning_rate_init=3e-3, device="cpu", random_state=0,
)


def test_dask_backend_matches_serial():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, 4))
    y = X[:, 0] + X[:, 1] + 0.5 * rng.standard_normal(600)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # dask workers run one thread each (OMP_NUM_THREADS=1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            serial_sel = MutualInfoSelector(EST, n_features_to_select=2, random_state=0).fit(X, y)
            serial_cv = cross_val_mi(EST, X, y, cv=3, random_state=0)
            serial_pf = neural_mutual_info_regression(
                X, y, max_epochs=5, features_per_model=2, random_state=0
            )
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            host="127.0.0.1",
        ) as cluster, distributed.Client(cluster), joblib.parallel_backend("dask"):
            sel = MutualInfoSelector(EST, n_features_to_select=2, n_jobs=-1, random_state=0)
            sel.fit(X, y)
            cv = cross_val_mi(EST, X, y, cv=3, n_jobs=-1, random_state=0)
            pf = neural_mutual_info_regression(
                X, y, max_epochs=5, features_per_model=2, n_jobs=-1, random_state=0
            )
    finally:
        torch.set_num_threads(threads)
    np.testing.assert_array_equal(sel.selected_, serial_sel.selected_)
    np.testing.assert_array_equal(sel.candidate_scores_, serial_sel.candidate_scores_)
    np.testing.assert_array_equal(cv.estimates, serial_cv.estimates)
    np.testing.assert_array_equal(pf, serial_pf)
