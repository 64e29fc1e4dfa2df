"""Samplers with known mutual information (numpy/scipy only; all MI values in nats).

Every sampler is called as ``make_*(n_samples, *, ..., random_state=None)`` and returns
``(X, Y, mi)``: ``X`` of shape ``(n_samples, d_x)`` and ``Y`` of shape ``(n_samples, d_y)``
(float64, always 2-D) and the true mutual information ``mi`` in nats (a Python float).
``random_state`` may be None, an int, a :class:`numpy.random.RandomState` or a
:class:`numpy.random.Generator`; numpy's global RNG is never used.

:data:`TASKS` / :func:`get_task` / :func:`list_tasks` give a named benchmark suite.
"""

from ._digits import (
    binary_channel_flip_prob,
    binary_channel_mi,
    digit_pools,
    make_binary_channel_digits,
)
from ._gaussian import (
    dense_covariance,
    gaussian_mi,
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
from ._protocol import staircase
from ._registry import TASKS, Task, get_task, list_tasks
from ._transforms import TRANSFORMS, apply_transform, invert_transform, spiral
from ._utils import bits_to_nats, check_random_state, nats_to_bits

__all__ = [
    "TASKS",
    "TRANSFORMS",
    "Task",
    "apply_transform",
    "binary_channel_flip_prob",
    "binary_channel_mi",
    "bits_to_nats",
    "check_random_state",
    "dense_covariance",
    "digit_pools",
    "gaussian_mi",
    "get_task",
    "invert_transform",
    "list_tasks",
    "make_binary_channel_digits",
    "make_gaussian",
    "make_gaussian_covariance",
    "make_independent",
    "make_student_t",
    "make_uniform_noise",
    "nats_to_bits",
    "sparse_covariance",
    "spiral",
    "staircase",
    "student_t_mi",
    "uniform_noise_mi",
]
