"""Packaging for sklearn_mi (metadata lives here; pyproject.toml holds tool config only)."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(
    r'__version__ = "([^"]+)"', (HERE / "sklearn_mi" / "__init__.py").read_text()
).group(1)

setup(
    name="sklearn_mi",
    version=VERSION,
    description=(
        "Neural mutual-information estimators (InfoNCE-anchor and the contrastive "
        "family) as scikit-learn estimators trained with skorch."
    ),
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="BSD-3-Clause",
    python_requires=">=3.10",
    packages=find_packages(include=["sklearn_mi", "sklearn_mi.*"]),
    include_package_data=True,
    install_requires=[
        "numpy>=1.24",
        "scipy>=1.10",
        "scikit-learn>=1.6",
        "torch>=2.1",
        "skorch>=1.0",
        "joblib>=1.3",
    ],
    extras_require={
        "test": [
            "pytest>=7",
            "hypothesis>=6",
            "pandas>=1.5",
            "dask[distributed]>=2024.1",
        ],
        "plot": ["matplotlib>=3.6"],
        "dev": ["ruff>=0.4", "build"],
    },
    entry_points={"console_scripts": ["sklearn-mi=sklearn_mi.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Intended Audience :: Science/Research",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
        "License :: OSI Approved :: BSD License",
    ],
)
