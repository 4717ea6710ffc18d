#!/usr/bin/env bash
# Side-by-side benchmark of kgq against Kuzu, LadybugDB, FalkorDB (embedded
# through falkordblite) and grand-cypher on networkx. A manual command, not
# part of CI. Usage: bench/run.sh [side_by_side.py options], e.g.
#   bench/run.sh --sizes 10000,100000,1000000
# Creates bench/.venv (Python 3.12 or newer: falkordblite needs it), builds
# kgq and kgq-gen in release mode, generates bench/data/N and writes
# bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
    for p in "${PYTHON:-}" python3.13 python3.12 \
        "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 python3; do
        [ -n "$p" ] || continue
        command -v "$p" >/dev/null 2>&1 || [ -x "$p" ] || continue
        if "$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    return 1
}

if [ ! -x bench/.venv/bin/python ]; then
    if py=$(pick_python); then
        packages=(kuzu ladybug falkordblite falkordb-bulk-loader networkx grand-cypher)
    else
        # Without 3.12, FalkorDB cannot be embedded: run without it.
        py=python3
        packages=(kuzu ladybug networkx grand-cypher)
        echo "run.sh: no Python 3.12 or newer found; FalkorDB is left out" >&2
    fi
    "$py" -m venv bench/.venv
    bench/.venv/bin/pip install --quiet --upgrade pip
    bench/.venv/bin/pip install --quiet "${packages[@]}"
fi

cargo build --release --bin kgq --bin kgq-gen
exec bench/.venv/bin/python bench/side_by_side.py "$@"
