"""Jupyter side of eddy's notebooks: kernelspec, opening Jupyter, headless runs.

Usage (through npm, which builds eddy first; see package.json):
  notebooks.py setup                 register the `eddy-tslab` kernelspec for this user
  notebooks.py open [OPTION...]      start Jupyter (Lab if installed, else Notebook) on notebooks/
  notebooks.py test [NOTEBOOK...]    execute notebooks headless; any cell error fails
  notebooks.py execute [NOTEBOOK...] the same, then write the outputs back into the files

The kernelspec points at this checkout's own tslab (node_modules/.bin/tslab) and node, so a
notebook runs against the eddy built here, whatever tslab may be installed elsewhere.
`test` and `execute` install the kernelspec into a temporary directory of their own, so they
need no setup and leave the user's Jupyter configuration alone.
"""

import functools
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

KERNEL_NAME = "eddy-tslab"
DISPLAY_NAME = "TypeScript (eddy)"
# Each notebook must finish within this many seconds, kernel start included.
NOTEBOOK_TIME_LIMIT = 60

# Progress and failures interleave in the order they happen, also when piped (CI logs).
print = functools.partial(print, flush=True)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
TSLAB = ROOT / "node_modules" / ".bin" / "tslab"


def fail(message):
    print(f"notebooks: {message}", file=sys.stderr)
    sys.exit(1)


def write_kernelspec(kernels_dir):
    """Writes kernels_dir/eddy-tslab/kernel.json and returns its directory."""
    if not TSLAB.exists():
        fail(f"{TSLAB} is missing: run `npm ci` first")
    node = shutil.which("node")
    if node is None:
        fail("`node` is not on PATH")
    spec_dir = Path(kernels_dir) / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        # The absolute node keeps the kernel working when Jupyter is started from a desktop
        # launcher whose PATH lacks the node that installed the project.
        "argv": [node, str(TSLAB), "kernel", "--config-path", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "typescript",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n")
    return spec_dir


def setup():
    from jupyter_core.paths import jupyter_data_dir

    spec_dir = write_kernelspec(Path(jupyter_data_dir()) / "kernels")
    print(f"installed kernelspec '{KERNEL_NAME}' ({DISPLAY_NAME}) in {spec_dir}")


def open_jupyter(arguments):
    for command in ("jupyter-lab", "jupyter-notebook"):
        if shutil.which(command):
            os.execvp(command, [command, f"--notebook-dir={NOTEBOOK_DIR}", *arguments])
    fail("neither jupyter-lab nor jupyter-notebook is installed (Debian: apt-get install jupyter-notebook)")


def notebook_paths(arguments):
    paths = [Path(a).resolve() for a in arguments] or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    if not paths:
        fail(f"no notebooks in {NOTEBOOK_DIR}")
    for path in paths:
        if not path.is_file():
            fail(f"{path}: no such notebook")
    return paths


def cell_problem(cell):
    """What a failed cell printed on stderr (tslab reports compile and runtime errors there)."""
    lines = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            lines.append(f"{output.get('ename')}: {output.get('evalue')}")
    return "".join(lines).rstrip()


def run_one(path, write):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    deadline = time.monotonic() + NOTEBOOK_TIME_LIMIT
    failed = {}

    def on_cell_error(cell, cell_index, execute_reply):
        failed["index"] = cell_index

    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        # Every cell may use what is left of the notebook's time budget.
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        startup_timeout=NOTEBOOK_TIME_LIMIT,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_error=on_cell_error,
        # No per-cell timestamps: re-running an unchanged notebook leaves the file unchanged.
        record_timing=False,
    )
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError:
        index = failed.get("index")
        cell = notebook.cells[index] if index is not None else None
        print(f"FAIL {path.name}: cell {index + 1 if index is not None else '?'} raised an error", file=sys.stderr)
        if cell is not None:
            print("---- cell source ----\n" + cell.source, file=sys.stderr)
            print("---- error ----\n" + (cell_problem(cell) or "(no message)"), file=sys.stderr)
        return False
    except (CellTimeoutError, TimeoutError, RuntimeError, DeadKernelError) as error:
        print(f"FAIL {path.name}: {type(error).__name__}: {error}", file=sys.stderr)
        return False
    elapsed = time.monotonic() - started
    if elapsed > NOTEBOOK_TIME_LIMIT:
        print(f"FAIL {path.name}: took {elapsed:.1f} s, over the {NOTEBOOK_TIME_LIMIT} s limit", file=sys.stderr)
        return False
    if write:
        nbformat.write(notebook, str(path))
    print(f"ok   {path.name} ({elapsed:.1f} s){' (outputs written)' if write else ''}")
    return True


def run(arguments, write):
    paths = notebook_paths(arguments)
    with tempfile.TemporaryDirectory(prefix="eddy-jupyter-") as data_dir:
        write_kernelspec(Path(data_dir) / "kernels")
        # JUPYTER_PATH comes first in the kernelspec search, so this run uses this checkout's
        # tslab even where the user registered another `eddy-tslab`.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [data_dir, os.environ.get("JUPYTER_PATH")]))
        results = [run_one(path, write) for path in paths]
    failures = results.count(False)
    print(f"{len(results) - failures} of {len(results)} notebooks ran without errors")
    sys.exit(1 if failures else 0)


def main(argv):
    if not argv:
        fail("usage: notebooks.py setup | open [OPTION...] | test [NOTEBOOK...] | execute [NOTEBOOK...]")
    command, arguments = argv[0], argv[1:]
    if command == "setup":
        setup()
    elif command == "open":
        open_jupyter(arguments)
    elif command in ("test", "execute"):
        run(arguments, write=command == "execute")
    else:
        fail(f"unknown command {command!r}; expected setup, open, test or execute")


if __name__ == "__main__":
    main(sys.argv[1:])
