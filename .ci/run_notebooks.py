"""Execute notebooks top to bottom, each in its own folder, and fail on the first error.

Usage: ``python .ci/run_notebooks.py examples/*.ipynb``. The kernel is always the
interpreter running this script (the one the package is installed in), whatever kernels
are installed elsewhere on the machine.
"""

# A script run by path, not a module of a package.
# ruff: noqa: INP001

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets import default

CELL_TIMEOUT_SECONDS = 600


class _ThisInterpreterKernelManager(AsyncKernelManager):
    """A kernel manager that knows one kernel: ipykernel in this interpreter."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        # No kernel directories: only the native kernel (sys.executable) is found.
        return KernelSpecManager(kernel_dirs=[])


def run(path: Path) -> None:
    """Execute the notebook at *path* in its folder; raise on the first failing cell."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=_ThisInterpreterKernelManager,
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()


def main(paths: list[str]) -> int:
    """Execute every notebook of *paths*; return 1 if one fails."""
    for name in paths:
        path = Path(name)
        sys.stdout.write(f"--- {path}\n")
        sys.stdout.flush()
        start = time.perf_counter()
        try:
            run(path)
        except CellExecutionError as error:
            sys.stderr.write(f"{path}: a cell failed\n{error}\n")
            return 1
        sys.stdout.write(f"    ok ({time.perf_counter() - start:.1f} s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
