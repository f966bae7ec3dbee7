#!/usr/bin/env bash
# Calls the mock server through the official Huawei Cloud Python SDKs.
#
# One command: installs huaweicloudsdkcore, huaweicloudsdkdli and huaweicloudsdkfunctiongraph
# (pinned below) into the git-ignored `.tools/venv-sdk`, builds and starts `mock-server` on a
# free port of 127.0.0.1 with `--verify-signatures AK:SK`, and runs scripts/sdk_check.py: all
# five operations are called through the SDKs (AK/SK signing by the SDK's own signer) and must
# succeed with responses that parse into the SDK's models, and the same calls signed with a
# wrong secret key must get 401 in the spec's error format. The SDKs are pointed at the mock
# server only (`with_endpoints`); the project id is given, so they never ask IAM for it. The
# server is stopped on exit, whatever happens.
#
# Usage: scripts/sdk-check.sh
# Exit status: 0 when every check passes, 1 when one fails, 2 on setup failures.
# Requirements: Python 3.9+ with venv/pip, cargo.

set -euo pipefail

SDK_VERSION="3.1.219"
# Made-up credentials that only this run's mock server knows; not secrets.
AK="SDKCHECKACCESSKEY001"
SK="sdk-check-secret-key-for-the-local-mock"
PROJECT_ID="0123456789abcdef0123456789abcdef"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/venv-sdk"

die() {
    echo "sdk-check: $*" >&2
    exit 2
}

command -v python3 >/dev/null || die "python3 is required"
command -v cargo >/dev/null || die "cargo is required"

packages=(
    "huaweicloudsdkcore==$SDK_VERSION"
    "huaweicloudsdkdli==$SDK_VERSION"
    "huaweicloudsdkfunctiongraph==$SDK_VERSION"
)
installed=""
if [[ -x "$venv/bin/python" ]]; then
    installed="$("$venv/bin/python" -c '
import importlib.metadata as m
print(",".join(m.version(p) for p in ("huaweicloudsdkcore", "huaweicloudsdkdli", "huaweicloudsdkfunctiongraph")))
' 2>/dev/null || true)"
fi
if [[ "$installed" != "$SDK_VERSION,$SDK_VERSION,$SDK_VERSION" ]]; then
    echo "sdk-check: installing the Huawei Cloud Python SDKs $SDK_VERSION into $venv" >&2
    if [[ ! -x "$venv/bin/python" ]]; then
        python3 -m venv "$venv" || die "could not create the virtualenv $venv (is python3-venv installed?)"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}" \
        || die "pip could not install ${packages[*]}"
fi

# shellcheck source=scripts/lib/mock-server.sh
source "$root/scripts/lib/mock-server.sh"
mock_server_build sdk-check "$venv/bin/python"
mock_server_start --verify-signatures "$AK:$SK" --verbose
echo "sdk-check: mock-server is at $address" >&2

# The SDK talks to 127.0.0.1 directly, never through a proxy.
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
status=0
"$venv/bin/python" "$root/scripts/sdk_check.py" "$address" "$AK" "$SK" "$PROJECT_ID" || status=$?
if [[ "$status" -ne 0 ]]; then
    echo "sdk-check: failed (exit status $status); the last lines of the server log:" >&2
    tail -n 20 "$work/server.log" >&2
    exit 1
fi
