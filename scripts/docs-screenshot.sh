#!/usr/bin/env bash
# Checks the HTML API reference in a real browser: renders it with `cargo xtask docs`,
# opens target/api-docs/index.html in headless Chromium (Debian's `chromium` package,
# installed when missing), saves a screenshot to target/api-docs/screenshot.png, dumps
# the DOM, and fails unless every operationId and every component schema of the spec
# is on the page.
#
# The browser runs with networking features off and a throw-away profile; the page
# itself loads nothing from anywhere.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out_dir="target/api-docs"
page="$out_dir/index.html"
screenshot="$out_dir/screenshot.png"
dom="$out_dir/dom.html"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "error: chromium is not installed; install Debian's chromium package (apt-get install chromium)" >&2
        exit 1
    fi
    echo "docs-screenshot: installing chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
    browser="$(command -v chromium)"
fi

# The examples and error messages carry Chinese text (data from the API reference);
# without a CJK font the screenshot would show empty boxes.
if command -v fc-list >/dev/null && [[ -z "$(fc-list :lang=zh)" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        echo "docs-screenshot: installing a CJK font (fonts-wqy-microhei)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1; }
    else
        echo "docs-screenshot: warning: no CJK font; Chinese text will show as boxes" >&2
    fi
fi

cargo xtask docs

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(
    --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-extensions --disable-default-apps --hide-scrollbars
    --user-data-dir="$profile"
)
url="file://$root/$page"

rm -f "$screenshot"
"$browser" "${flags[@]}" --screenshot="$root/$screenshot" --window-size=1400,2000 "$url" \
    >"$profile/screenshot.log" 2>&1 || {
    cat "$profile/screenshot.log" >&2
    echo "error: chromium could not take the screenshot" >&2
    exit 1
}
if [[ ! -s "$screenshot" ]]; then
    cat "$profile/screenshot.log" >&2
    echo "error: chromium wrote no screenshot to $screenshot" >&2
    exit 1
fi

"$browser" "${flags[@]}" --dump-dom "$url" >"$dom" 2>"$profile/dom.log" || {
    cat "$profile/dom.log" >&2
    echo "error: chromium could not dump the DOM" >&2
    exit 1
}

# The names to look for come from the spec itself, as JSON: the copy that
# `cargo xtask codegen` writes (and `cargo xtask codegen --check` keeps in step with
# spec/openapi.yaml).
python3 - "generated-server/src/generated/openapi.json" "$dom" <<'PY'
import json
import re
import sys

spec_path, dom_path = sys.argv[1], sys.argv[2]
with open(spec_path, encoding="utf-8") as f:
    spec = json.load(f)
with open(dom_path, encoding="utf-8") as f:
    dom = f.read()

def anchor(prefix, name):
    return prefix + "-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)

methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
operations = [
    op["operationId"]
    for item in spec.get("paths", {}).values()
    for method, op in item.items()
    if method in methods and "operationId" in op
]
schemas = list(spec.get("components", {}).get("schemas", {}))

missing = []
for op in operations:
    if f'id="{anchor("op", op)}"' not in dom or op not in dom:
        missing.append(f"operation {op}")
for name in schemas:
    if f'id="{anchor("schema", name)}"' not in dom or name not in dom:
        missing.append(f"schema {name}")
if not operations or not schemas:
    missing.append("(the spec lists no operations or no schemas)")
if missing:
    print("error: not on the rendered page: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
print(f"docs-screenshot: {len(operations)} operations and {len(schemas)} schemas are on the page")
PY

echo "docs-screenshot: wrote $screenshot and $dom"
