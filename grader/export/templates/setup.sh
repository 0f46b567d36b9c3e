#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image: install the grader
# from the source shipped beside this script, and make the user that student code runs as.
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")" && pwd)"
VENV=/opt/micrograd-grader

python_ok() { command -v python3 >/dev/null && python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))'; }
if ! python_ok; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
fi
if ! python_ok; then
    echo "micrograd-grader needs Python 3.10 or newer with venv: choose an Ubuntu 22.04 (or later) base image." >&2
    exit 1
fi
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "$SOURCE/grader-src"

# The student's code runs as this user, who can write nothing of the grader's.
if ! id -u student >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin student \
        || echo "could not create the user 'student': student code will run as root" >&2
fi
