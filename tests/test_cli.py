"""The sklearn-mi command: the demonstration's numbers and the CSV path."""

import io
import math
import subprocess
import sys

import numpy as np
import pytest

from sklearn_mi.cli import build_parser, demo, main, run_csv


def test_demo_small_run_shows_anchor_above_infonce_cap():
    args = build_parser().parse_args(
        ["--n-train", "3000", "--n-test", "1000", "--batch-size", "32", "--gaussian-mi", "6",
         "--max-epochs", "15", "--estimators", "anchor", "infonce"]
    )
    out = io.StringIO()
    results = demo(args, out=out)
    text = out.getvalue()
    assert "Gaussian, 10 pairs, I = 6.00 nats" in text and "InfoNCEAnchorMI" in text
    gauss = next(v for k, v in results.items() if k.startswith("Gaussian"))
    cap = math.log(32)
    assert gauss["infonce"].mi <= cap
    assert gauss["anchor"].mi > gauss["infonce"].mi + 0.5


def test_csv_command(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1500, 2))
    y = 0.8 * x[:, 0] + 0.6 * rng.standard_normal(1500)
    path = tmp_path / "data.csv"
    with open(path, "w") as f:
        f.write("a,b,target\n")
        for row in np.column_stack([x, y]):
            f.write(",".join(f"{v:.6f}" for v in row) + "\n")
    args = build_parser().parse_args(
        ["csv", str(path), "--x", "a,b", "--y", "target", "--max-epochs", "15"]
    )
    out = io.StringIO()
    est = run_csv(args, out=out)
    truth = -0.5 * math.log(1 - 0.8**2)
    assert abs(est.mutual_info_ - truth) < 0.15
    assert "nats" in out.getvalue() and "95% CI" in out.getvalue()
    assert "estimated on the 300 held-out rows of 1500" in out.getvalue()
    quantile = build_parser().parse_args(
        ["csv", str(path), "--x", "a,b", "--y", "target", "--max-epochs", "1"]
        + ["--scaling", "quantile"]
    )
    assert run_csv(quantile, out=io.StringIO()).scaling == "quantile"
    with pytest.raises(SystemExit, match="unknown column"):
        run_csv(build_parser().parse_args(["csv", str(path), "--x", "zz", "--y", "target"]))


def test_version_entry_points():
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    proc = subprocess.run(
        [sys.executable, "-m", "sklearn_mi", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stdout.startswith("sklearn_mi ")
