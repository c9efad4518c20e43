#!/usr/bin/env bash
# Runs scripts/notebooks.py (setup | open | test | execute) with a Python that has Jupyter's
# libraries. Debian's packages live in /usr/bin/python3, which a pyenv or venv `python3`
# earlier on PATH would hide, so the first interpreter that can import them wins.
set -euo pipefail
cd "$(dirname "$0")/.."

for python in "${EDDY_PYTHON:-}" python3 /usr/bin/python3; do
  if [ -n "$python" ] && "$python" -c 'import jupyter_core, nbclient, nbformat' >/dev/null 2>&1; then
    exec "$python" scripts/notebooks.py "$@"
  fi
done
echo "notebooks: no Python with Jupyter found; on Debian or Ubuntu:" >&2
echo "  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel" >&2
exit 1
