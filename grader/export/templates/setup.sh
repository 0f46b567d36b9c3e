#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (and the container
# image runs it too): install bubblewrap where the image allows it, and the grader from the source
# shipped beside this script, readable by root only.
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")" && pwd)"
VENV=/opt/micrograd-grader

python_ok() { command -v python3 >/dev/null && python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))'; }
if command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "apt-get update failed: installing from the image's package lists" >&2
    python_ok || apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
    # Student code is isolated by bubblewrap where the kernel allows user namespaces, else by a fresh
    # unprivileged uid: best effort, because some images cannot install it.
    command -v bwrap >/dev/null || apt-get install -y -qq bubblewrap >/dev/null \
        || echo "bubblewrap could not be installed: student code will be isolated by a fresh uid instead" >&2
fi
if ! python_ok; then
    echo "micrograd-grader needs Python 3.10 or newer with venv: choose an Ubuntu 22.04 (or later) base image." >&2
    exit 1
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "$SOURCE/grader-src"
# Root only: the uid that student code runs as must not read the reference engine or the checks.
chmod 0700 "$VENV"
