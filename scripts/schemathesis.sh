#!/usr/bin/env bash
# Contract test of the mock server with Schemathesis (https://schemathesis.readthedocs.io),
# a property-based API tester nobody in this project wrote.
#
# One command: installs Schemathesis (pinned below) into the git-ignored `.tools/venv-schemathesis`,
# builds and starts `mock-server` on a free port of 127.0.0.1 (with token checking on, so that
# authentication can be tested too), and runs every Schemathesis check (`--checks all`: no 5xx,
# status codes, content types, headers and bodies conform to the spec, negative data is
# rejected, positive data is accepted, missing required headers and unsupported methods are
# refused, authentication is enforced) in positive and negative mode over the spec the server
# serves at /openapi.json. The server is stopped on exit, whatever happens.
#
# Usage: scripts/schemathesis.sh
# Environment: MAX_EXAMPLES (test cases per operation and phase, default 100),
#              SEED (reproduce a run; Schemathesis prints the seed it used).
# Exit status: 0 when Schemathesis finds nothing, 1 when it reports a failure, 2 on setup
# failures. Requirements: Python 3.9+ with venv/pip, cargo.

set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5"
MAX_EXAMPLES="${MAX_EXAMPLES:-100}"
# A made-up token the mock server accepts; not a secret.
TOKEN="schemathesis-local-token"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/venv-schemathesis"

die() {
    echo "schemathesis: $*" >&2
    exit 2
}

command -v python3 >/dev/null || die "python3 is required"
command -v cargo >/dev/null || die "cargo is required"

installed=""
if [[ -x "$venv/bin/python" ]]; then
    installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)"
fi
if [[ "$installed" != "$SCHEMATHESIS_VERSION" ]]; then
    echo "schemathesis: installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
    if [[ ! -x "$venv/bin/python" ]]; then
        python3 -m venv "$venv" || die "could not create the virtualenv $venv (is python3-venv installed?)"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" \
        || die "pip could not install schemathesis $SCHEMATHESIS_VERSION"
fi

# shellcheck source=scripts/lib/mock-server.sh
source "$root/scripts/lib/mock-server.sh"
mock_server_build schemathesis "$venv/bin/python"
mock_server_start --accept-token "$TOKEN"
echo "schemathesis: mock-server is at $address" >&2

# Credentials for the spec's IamToken scheme, so that Schemathesis treats them as real ones
# and checks that requests without them, or with made-up ones, are refused.
cat >"$work/schemathesis.toml" <<EOF
[auth.openapi.IamToken]
api_key = "$TOKEN"
EOF

seed_args=()
if [[ -n "${SEED:-}" ]]; then
    seed_args=(--seed "$SEED")
fi

status=0
# Run from the scratch directory: Schemathesis keeps a .hypothesis/ database in the
# working directory.
(
    cd "$work"
    "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run \
        "$address/openapi.json" \
        --url "$address" \
        --checks all \
        --mode all \
        --max-examples "$MAX_EXAMPLES" \
        --workers 1 \
        "${seed_args[@]}"
) || status=$?

if [[ "$status" -ne 0 ]]; then
    echo "schemathesis: failed (exit status $status); the last lines of the server log:" >&2
    tail -n 20 "$work/server.log" >&2
    exit 1
fi
echo "schemathesis: no failures" >&2
