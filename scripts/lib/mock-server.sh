# Shared by the scripts that check the mock server (schemathesis.sh, sdk-check.sh):
# building it, starting it on a free loopback port, and stopping it on exit.
#
# Source it after defining `root` (the repository) and `die MESSAGE`. It sets
# `server_bin`, `server_pid`, `address` (http://127.0.0.1:PORT) and `work` (a temporary
# directory holding server.out and server.log, removed on exit).

# Builds mock-server. $1: a name for messages; $2: a python to read cargo's metadata with.
mock_server_build() {
    echo "$1: building mock-server" >&2
    (cd "$root" && cargo build --quiet -p huaweicloud-api-server --features mock-server --bin mock-server) \
        || die "mock-server does not build"
    local target_dir
    target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
        | "$2" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    server_bin="$target_dir/debug/mock-server"
    [[ -x "$server_bin" ]] || die "mock-server was not built at $server_bin"
}

mock_server_cleanup() {
    if [[ -n "${server_pid:-}" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "${work:-}"
}

# Starts mock-server on port 0 with the given extra arguments and waits for the address
# it prints. Stops it when the calling script exits.
mock_server_start() {
    work="$(mktemp -d)"
    server_pid=""
    trap mock_server_cleanup EXIT INT TERM
    # The server's redirections happen in the child, after this shell may read them.
    : >"$work/server.out"
    : >"$work/server.log"
    "$server_bin" --port 0 "$@" >"$work/server.out" 2>"$work/server.log" &
    server_pid=$!
    address=""
    for _ in $(seq 1 100); do
        address="$(sed -n 's#^mock-server listening on \(http://[0-9.:]*\)$#\1#p' "$work/server.out")"
        [[ -n "$address" ]] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "mock-server exited"; }
        sleep 0.1
    done
    [[ -n "$address" ]] || die "mock-server did not report its address"
}
