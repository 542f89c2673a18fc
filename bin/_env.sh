# Shared by bin/up, bin/test and .ci/run: make .venv with a Python >= 3.12 and
# install the pinned dependencies. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  local candidates=()
  # pyenv reads .python-version (3.12) in this folder.
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv which python 2>/dev/null || true)")
  fi
  candidates+=(python3.12 python3.13 python3.14 python3)
  local c
  for c in "${candidates[@]}"; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  local stamp=".venv/.installed"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    local py
    py="$(find_python)" || { echo "Maille needs Python >= 3.12 (pyenv install 3.12, or your system's python3.12)." >&2; exit 1; }
    echo "Creating .venv with $py" >&2
    rm -rf .venv
    "$py" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ requirements.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installing dependencies (requirements.lock)…" >&2
    if command -v uv >/dev/null 2>&1; then
      uv pip install -q --python .venv/bin/python -r requirements.lock >&2
      uv pip install -q --python .venv/bin/python --no-deps -e . >&2
    else
      .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip -q >&2
      .venv/bin/python -m pip install -q -r requirements.lock >&2
      .venv/bin/python -m pip install -q --no-deps -e . >&2
    fi
    touch "$stamp"
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
}
