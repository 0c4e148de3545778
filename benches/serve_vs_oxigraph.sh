#!/usr/bin/env bash
# Throughput of `yushu-kg serve` against `oxigraph serve-read-only` (PyPI's
# oxigraph package) on the same quads and the same named query, side by side
# in one run, as a ratio. A bounded loopback load: wrk, N seconds per server.
#   benches/serve_vs_oxigraph.sh [QUERY_NAME] [SECONDS]    (default: funding-by-year-and-sector 10)
# Needs: a release build (cargo build --release), wrk (Debian), oxigraph (pip).
set -euo pipefail
cd "$(dirname "$0")/.."
query_name=${1:-funding-by-year-and-sector}
seconds=${2:-10}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
command -v oxigraph >/dev/null || { echo "needs oxigraph: pip install oxigraph" >&2; exit 1; }
bin="${CARGO_TARGET_DIR:-target}/release/yushu-kg"
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" build --quiet --store "$work/ours"
"$bin" dump --store "$work/ours" > "$work/all.nq"
oxigraph load --location "$work/theirs" --file "$work/all.nq" >/dev/null 2>&1

"$bin" serve --quiet --store "$work/ours" --bind 127.0.0.1:0 2> "$work/ours.log" &
pids+=($!)
oxigraph serve-read-only --location "$work/theirs" --bind 127.0.0.1:7899 --union-default-graph > "$work/theirs.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q 'listening on' "$work/ours.log" && break; sleep 0.1; done
sleep 1
ours=$(sed -n 's|^listening on \(http://[^/]*\)/.*|\1|p' "$work/ours.log" | head -n 1)
theirs=http://127.0.0.1:7899
q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(open(sys.argv[1]).read()))' "queries/$query_name.rq")

rate() {
  wrk -t2 -c16 -d"${seconds}s" -H 'Accept: application/sparql-results+json' "$1/query?query=$q" \
    | awk '/Requests\/sec/ {print $2}'
}
# Both answer the query the same way before they are timed.
a=$(curl -s -H 'Accept: text/csv' "$ours/query?query=$q" | sort | md5sum)
b=$(curl -s -H 'Accept: text/csv' "$theirs/query?query=$q" | sort | md5sum)
[ "$a" = "$b" ] || echo "warning: the two servers answer differently" >&2
r_ours=$(rate "$ours")
r_theirs=$(rate "$theirs")
printf '| query | yushu-kg serve req/s | oxigraph serve-read-only req/s | ratio |\n|---|---|---|---|\n'
printf '| %s | %s | %s | %.2f |\n' "$query_name" "$r_ours" "$r_theirs" "$(echo "$r_ours / $r_theirs" | bc -l)"
