"""Run Python in fresh processes under several hash seeds, for the determinism tests."""

from __future__ import annotations

import os
import subprocess
import sys

SEEDS = ("0", "1", "4242")


def run_python(*args: str, seed: str = "0", check: bool = True) -> subprocess.CompletedProcess[str]:
    """``python *args`` in a fresh process with ``PYTHONHASHSEED=seed``."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=check
    )


def same_output_across_seeds(*args: str, seeds: tuple[str, ...] = SEEDS) -> str:
    """The standard output of ``python *args``, checked identical under every seed."""
    outputs = {run_python(*args, seed=seed).stdout for seed in seeds}
    assert len(outputs) == 1, f"the output differs across PYTHONHASHSEED values {seeds}"
    return outputs.pop()
