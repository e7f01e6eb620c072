#!/usr/bin/env bash
# Run a command against the project's local Neo4j 5.26 server.
#
#   scripts/with-neo4j.sh CMD [ARGS...]
#
# Fetches the server jars (Maven, first run only), starts the server from
# .neo4j/ on a free 127.0.0.1 port, exports NEO4J_URI / NEO4J_USER /
# NEO4J_PASSWORD into CMD's environment, runs CMD, and always stops the server
# afterwards (also when CMD fails or on Ctrl-C / SIGTERM). Exits with CMD's
# exit code. A server that was already running before is reused and left
# running. Needs no terminal (works with CI=true and stdin closed).
#
# Environment: NEO4J_START_TIMEOUT (seconds, default 180), NEO4J_HEAP and
# NEO4J_PAGECACHE (server memory, e.g. 4g; default 2g and 1g), NEO4J_PASSWORD
# (optional; else .env, else generated and stored in .env).
set -uo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
if [ ! -x "$PY" ]; then
    echo "with-neo4j: $PY not found; create the venv first (make install)" >&2
    exit 2
fi

server() {
    (cd "$ROOT" && "$PY" -m graphmodel.cli.neo4j "$@")
}

started=0
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "$started" = 1 ]; then
        echo "with-neo4j: stopping Neo4j" >&2
        server stop >&2 || echo "with-neo4j: stopping Neo4j failed" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if server running; then
    echo "with-neo4j: reusing the Neo4j server already running from .neo4j/" >&2
else
    started=1
    if ! out="$(server start --timeout "${NEO4J_START_TIMEOUT:-180}" </dev/null)"; then
        echo "with-neo4j: Neo4j did not start" >&2
        exit 3
    fi
    printf '%s\n' "$out" >&2
    case "$out" in
        "already running"*) started=0 ;; # another run started it meanwhile: leave it
    esac
fi

# Read the credentials NUL-separated from a pipe: never echoed, never on a command line.
while IFS= read -r -d '' kv; do
    export "${kv?}"
done < <(server env)
if [ -z "${NEO4J_URI:-}" ] || [ -z "${NEO4J_PASSWORD:-}" ]; then
    echo "with-neo4j: could not read the Neo4j settings" >&2
    exit 3
fi
echo "with-neo4j: NEO4J_URI=$NEO4J_URI NEO4J_USER=${NEO4J_USER:-neo4j}" >&2

"$@"
exit $?
