"""A named suite of benchmark tasks with known mutual information."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._digits import N_PIXELS, make_binary_channel_digits
from ._gaussian import (
    dense_covariance,
    make_gaussian,
    make_gaussian_covariance,
    sparse_covariance,
)
from ._nongaussian import (
    make_independent,
    make_student_t,
    make_uniform_noise,
    student_t_mi,
    uniform_noise_mi,
)
from ._utils import RandomStateLike, Sample

#: Seed of the fixed covariance matrices of the ``gaussian-dense-*`` / ``gaussian-sparse-*``
#: tasks (the task's distribution is fixed; ``random_state`` only drives the sampling).
COVARIANCE_SEED = 0


@dataclass(frozen=True)
class Task:
    """A benchmark task: a fixed joint distribution of ``(X, Y)`` with known MI.

    Calling a task draws a sample: ``task(n_samples, random_state=None) -> (X, Y, mi)``.

    Attributes
    ----------
    name : str
        Registry key.
    sampler : callable
        ``sampler(n_samples, random_state=None) -> (X, Y, mi)``.
    description : str
        One-line human-readable description.
    true_mi : float
        True mutual information in nats (the ``mi`` the sampler returns).
    dim_x, dim_y : int
        Number of columns of ``X`` and ``Y``.

    Examples
    --------
    >>> from sklearn_mi.datasets import get_task
    >>> task = get_task("gaussian-d5-mi2")
    >>> X, Y, mi = task(100, random_state=0)
    >>> X.shape, Y.shape, mi == task.true_mi
    ((100, 5), (100, 5), True)
    """

    name: str
    sampler: Callable[..., Sample]
    description: str
    true_mi: float
    dim_x: int
    dim_y: int

    def __call__(self, n_samples: int, random_state: RandomStateLike = None) -> Sample:
        return self.sampler(n_samples, random_state=random_state)


def _gaussian_task(d: int, mi: float, transform: str | None = None) -> Task:
    name = f"gaussian-d{d}-mi{mi:g}" + (f"-{transform}" if transform else "")
    desc = f"{d} independent Gaussian coordinate pairs, {mi:g} nats in total"
    if transform:
        desc += f"; Y transformed by the invertible '{transform}' map"
    sampler = functools.partial(make_gaussian, mi=mi, n_pairs=d, transform=transform)
    return Task(name, sampler, desc, float(mi), d, d)


def _covariance_sampler(build: Callable[[], np.ndarray], dim_x: int) -> Callable[..., Sample]:
    """A sampler for a fixed covariance, built once (lazily, on first use)."""
    cached = functools.cache(build)

    def sampler(n_samples: int, random_state: RandomStateLike = None) -> Sample:
        return make_gaussian_covariance(
            n_samples, cov=cached(), dim_x=dim_x, random_state=random_state
        )

    return sampler


def _build_tasks() -> dict[str, Task]:
    tasks = [
        _gaussian_task(1, 0.5),
        _gaussian_task(5, 2.0),
        _gaussian_task(10, 4.0),
        _gaussian_task(10, 4.0, "cubic"),
        _gaussian_task(10, 4.0, "asinh"),
        _gaussian_task(5, 2.0, "cdf"),
        _gaussian_task(5, 2.0, "signed_power"),
        _gaussian_task(5, 2.0, "spiral"),
        Task(
            "gaussian-dense-d5-mi2",
            _covariance_sampler(
                functools.partial(dense_covariance, 5, 5, mi=2.0, random_state=COVARIANCE_SEED),
                5,
            ),
            "5+5-dim Gaussian, all 5 canonical pairs interact, mixed within X and within Y "
            "(dense covariance), 2 nats",
            2.0,
            5,
            5,
        ),
        Task(
            "gaussian-sparse-d10-mi2",
            _covariance_sampler(
                functools.partial(
                    sparse_covariance,
                    10,
                    10,
                    mi=2.0,
                    n_interacting=2,
                    random_state=COVARIANCE_SEED,
                ),
                10,
            ),
            "10+10-dim Gaussian, only 2 coordinate pairs interact (sparse covariance), 2 nats",
            2.0,
            10,
            10,
        ),
        Task(
            "student-t-df2-d5",
            functools.partial(make_student_t, df=2.0, dim_x=5, dim_y=5),
            "multivariate Student-t, 2 degrees of freedom, 5+5 dims, uncorrelated but dependent",
            student_t_mi(2.0, 5, 5),
            5,
            5,
        ),
        Task(
            "student-t-df1-d1",
            functools.partial(make_student_t, df=1.0, dim_x=1, dim_y=1),
            "bivariate Cauchy (Student-t, 1 degree of freedom), heavy tails",
            student_t_mi(1.0, 1, 1),
            1,
            1,
        ),
        Task(
            "uniform-noise-eps0.1",
            functools.partial(make_uniform_noise, eps=0.1),
            "X ~ U(0, 1), Y = X + U(-0.1, 0.1)",
            uniform_noise_mi(0.1),
            1,
            1,
        ),
        Task(
            "independent-d5",
            functools.partial(make_independent, dim_x=5, dim_y=5),
            "independent 5-dim standard Gaussians, MI = 0",
            0.0,
            5,
            5,
        ),
        Task(
            "digits-bsc-s2-mi1",
            functools.partial(make_binary_channel_digits, n_sources=2, mi=1.0),
            "2 bits as 8x8 digit-0/1 images through a binary symmetric channel, 1 nat",
            1.0,
            2 * N_PIXELS,
            2 * N_PIXELS,
        ),
    ]
    return {task.name: task for task in tasks}


TASKS: Mapping[str, Task] = types.MappingProxyType(_build_tasks())
"""Read-only mapping ``name -> Task`` of the benchmark suite (see :func:`list_tasks`)."""


def list_tasks() -> list[str]:
    """Names of the registered tasks, in registry order.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from sklearn_mi.datasets import list_tasks
    >>> "gaussian-d5-mi2-spiral" in list_tasks()
    True
    """
    return list(TASKS)


def get_task(name: str) -> Task:
    """Look up a task by name.

    Parameters
    ----------
    name : str
        A name from :func:`list_tasks`.

    Returns
    -------
    Task
        Callable as ``task(n_samples, random_state=None) -> (X, Y, mi)``.

    Raises
    ------
    ValueError
        If ``name`` is not registered (the message lists the valid names).

    Examples
    --------
    >>> from sklearn_mi.datasets import get_task
    >>> task = get_task("uniform-noise-eps0.1")
    >>> round(task.true_mi, 4), task.dim_x, task.dim_y
    (1.7094, 1, 1)
    """
    try:
        return TASKS[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown task {name!r}; available: {', '.join(TASKS)}.") from None
