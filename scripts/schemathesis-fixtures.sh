#!/usr/bin/env bash
# Contract test of the generated server for specs other than the project's own: for each
# fixture spec below, starts its generated mock (`fixture-mock`, in
# generator/tests/e2e-fixtures) on a free port of 127.0.0.1 and runs Schemathesis over the
# fixture spec with every check (Schemathesis's default; `--checks all` would override
# the per-operation settings below), in positive and negative mode. The fixtures cover what
# the project's spec does not use: form and several-media bodies, status ranges,
# operations told apart by their query, path segments that mix parameters and text,
# references to other places than components. A fixture's checks that Schemathesis cannot
# judge are turned off, operation by operation and each with its reason, in
# generator/tests/schemathesis/<fixture>.toml.
#
# Not run: params-styles and lenient-params. Schemathesis writes parameters in styles
# other than the default its own way (delimiters percent-encoded, `spaceDelimited` as
# repeated pairs, `deepObject` arrays as plain pairs), not as OpenAPI 3.0.3's style
# examples do, which e2e-params and e2e-fixtures check string for string instead.
#
# Usage: scripts/schemathesis-fixtures.sh [FIXTURE...]   (default: all of FIXTURES)
# Environment: MAX_EXAMPLES (default 50), SEED.
# Exit status: 0 when Schemathesis finds nothing, 1 when it reports a failure, 2 on setup
# failures. Requirements: Python 3.9+ with venv/pip, cargo.

set -euo pipefail

FIXTURES=(bodies-form bodies-multi-media references routes-by-query routes-in-segments status-ranges)
MAX_EXAMPLES="${MAX_EXAMPLES:-50}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/venv-schemathesis"

die() {
    echo "schemathesis-fixtures: $*" >&2
    exit 2
}

# The same pinned Schemathesis as scripts/schemathesis.sh, installed by it.
[[ -x "$venv/bin/schemathesis" ]] || die "run scripts/schemathesis.sh first: it installs Schemathesis into $venv"

# shellcheck source=scripts/lib/mock-server.sh
source "$root/scripts/lib/mock-server.sh"
echo "schemathesis-fixtures: building fixture-mock" >&2
(cd "$root" && cargo build --quiet -p generator-e2e-fixtures --bin fixture-mock) \
    || die "fixture-mock does not build"
target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
server_bin="$target_dir/debug/fixture-mock"

seed_args=()
if [[ -n "${SEED:-}" ]]; then
    seed_args=(--seed "$SEED")
fi

if [[ $# -gt 0 ]]; then
    FIXTURES=("$@")
fi
failed=()
for fixture in "${FIXTURES[@]}"; do
    spec="$root/generator/tests/fixtures/$fixture.yaml"
    [[ -f "$spec" ]] || die "no fixture $spec"
    mock_server_start --fixture "$fixture"
    echo "schemathesis-fixtures: $fixture at $address" >&2
    config_args=()
    config="$root/generator/tests/schemathesis/$fixture.toml"
    if [[ -f "$config" ]]; then
        config_args=(--config-file "$config")
    fi
    status=0
    (
        cd "$work"
        "$venv/bin/schemathesis" "${config_args[@]}" run "$spec" \
            --url "$address" \
            --mode all \
            --max-examples "$MAX_EXAMPLES" \
            --workers 1 \
            "${seed_args[@]}"
    ) || status=$?
    if [[ "$status" -ne 0 ]]; then
        echo "schemathesis-fixtures: $fixture failed (exit status $status); the last lines of its log:" >&2
        tail -n 20 "$work/server.log" >&2
        failed+=("$fixture")
    fi
    mock_server_cleanup
    server_pid=""
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "schemathesis-fixtures: failures in ${failed[*]}" >&2
    exit 1
fi
echo "schemathesis-fixtures: no failures in ${FIXTURES[*]}" >&2
