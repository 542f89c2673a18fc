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
    rm -rf .venv .venv.tmp
    # Build aside, then move: a failed attempt leaves no half-made .venv behind.
    if ! "$py" -m venv .venv.tmp; then
      rm -rf .venv.tmp
      echo "Could not create a virtual environment (on Debian/Ubuntu: apt-get install python3-venv)." >&2
      exit 1
    fi
    mv .venv.tmp .venv
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

# System libraries for PDFs (WeasyPrint: pango, fonts) and translations
# (gettext). Installed when missing and we may (root with apt); otherwise we
# say what to install.
OS_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
  fonts-liberation gettext python3-venv)

ensure_os_packages() {
  # harfbuzz-subset too: without it WeasyPrint subsets fonts with fontTools,
  # three quarters of a payslip's rendering time (decision 0008).
  local libs
  libs="$(ldconfig -p 2>/dev/null)"
  if grep -q 'libpango-1.0.so' <<<"$libs" && grep -q 'libharfbuzz-subset.so' <<<"$libs" \
    && command -v msgfmt >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${OS_PACKAGES[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${OS_PACKAGES[@]}" >&2
  else
    echo "Missing system packages for PDFs: install ${OS_PACKAGES[*]}" >&2
  fi
}
