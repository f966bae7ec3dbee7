#!/usr/bin/env bash
# Lints spec/openapi.yaml with three independent OpenAPI linters:
#
#   openapi-spec-validator  structural validity against the OpenAPI 3.0 schema (PyPI)
#   Redocly CLI             `redocly lint` with the `recommended` ruleset, see redocly.yaml (npm)
#   Spectral                `spectral lint` with `spectral:oas`, see .spectral.yaml (npm)
#
# The tools are installed into the git-ignored, project-local `.tools/` directory
# (`.tools/venv` for Python, `.tools/npm` for Node) at the versions pinned below. A tool
# that is already installed at the pinned version is reused, so a second run is fast.
# Requirements: Python 3.11+ with venv/pip, and Node.js 20.19+ with npm.
#
# Usage: scripts/lint-spec.sh [SPEC]    (default: spec/openapi.yaml)
# Exit status: 0 when all three linters report zero errors, 1 otherwise, 2 on setup
# failures. Warnings are printed; each warning that remains must be justified in
# spec/NOTES.md.

set -euo pipefail

OPENAPI_SPEC_VALIDATOR_VERSION="0.9.0"
REDOCLY_CLI_VERSION="2.77.0"
SPECTRAL_CLI_VERSION="6.16.3"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
spec="${1:-$root/spec/openapi.yaml}"

# Redocly CLI reports usage to its vendor unless told not to; this project makes no
# network calls besides package registries.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

die() {
    echo "lint-spec: $*" >&2
    exit 2
}

[[ -f "$spec" ]] || die "spec file not found: $spec"
command -v python3 >/dev/null || die "python3 is required (3.11 or newer)"
command -v npm >/dev/null || die "npm is required (Node.js 20.19 or newer)"
command -v node >/dev/null || die "node is required (Node.js 20.19 or newer)"

install_python_tools() {
    local venv="$tools/venv"
    local installed=""
    if [[ -x "$venv/bin/python" ]]; then
        installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null || true)"
    fi
    if [[ "$installed" == "$OPENAPI_SPEC_VALIDATOR_VERSION" ]]; then
        return
    fi
    echo "lint-spec: installing openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION into $venv" >&2
    if [[ ! -x "$venv/bin/python" ]]; then
        python3 -m venv "$venv" || die "could not create the virtualenv $venv (is python3-venv installed?)"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION" \
        || die "pip could not install openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION"
}

npm_package_version() {
    local manifest="$tools/npm/node_modules/$1/package.json"
    [[ -f "$manifest" ]] || return 0
    node -e 'process.stdout.write(require(process.argv[1]).version)' "$manifest" 2>/dev/null || true
}

install_node_tools() {
    if [[ "$(npm_package_version @redocly/cli)" == "$REDOCLY_CLI_VERSION" \
        && "$(npm_package_version @stoplight/spectral-cli)" == "$SPECTRAL_CLI_VERSION" ]]; then
        return
    fi
    echo "lint-spec: installing @redocly/cli $REDOCLY_CLI_VERSION and @stoplight/spectral-cli $SPECTRAL_CLI_VERSION into $tools/npm" >&2
    mkdir -p "$tools/npm"
    npm install --prefix "$tools/npm" --save-exact --no-audit --no-fund --loglevel=error \
        "@redocly/cli@$REDOCLY_CLI_VERSION" "@stoplight/spectral-cli@$SPECTRAL_CLI_VERSION" >&2 \
        || die "npm could not install the Node linters"
}

install_python_tools
install_node_tools

failed=()

run() {
    local name="$1"
    shift
    echo
    echo "==> $name"
    if ! "$@"; then
        failed+=("$name")
    fi
}

run "openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION" \
    "$tools/venv/bin/openapi-spec-validator" "$spec"
run "redocly lint $REDOCLY_CLI_VERSION (recommended)" \
    "$tools/npm/node_modules/.bin/redocly" lint --config "$root/redocly.yaml" "$spec"
run "spectral lint $SPECTRAL_CLI_VERSION (spectral:oas)" \
    "$tools/npm/node_modules/.bin/spectral" lint --ruleset "$root/.spectral.yaml" \
    --fail-severity error "$spec"

echo
if ((${#failed[@]} > 0)); then
    echo "lint-spec: errors reported by: ${failed[*]}" >&2
    exit 1
fi
echo "lint-spec: no errors from openapi-spec-validator, Redocly or Spectral"
