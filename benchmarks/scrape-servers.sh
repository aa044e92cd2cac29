#!/usr/bin/env bash
# Scrape throughput of the standalone MetricServer (HttpListener) against the adapter's endpoint (Kestrel) over the
# same 1,000-series registry, identity and gzip: wrk for DURATION seconds each (default 10), 2 threads and 16
# connections, after a 3 s warm-up. Prints req/s per case and the ratio; the machine's load average goes with them,
# since both servers share the cores with wrk and with whatever else runs.
#
#   bash benchmarks/scrape-servers.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

dotnet build -c Release benchmarks/Metrics.Benchmarks -v quiet -nologo >/dev/null
server_port=$(port)
kestrel_port=$(port)
log=$(mktemp)
dotnet benchmarks/Metrics.Benchmarks/bin/Release/net10.0/Metrics.Benchmarks.dll --scrape-targets "$server_port" "$kestrel_port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 120); do grep -q '^ready' "$log" && break; sleep 0.5; done
grep -q '^ready' "$log" || { cat "$log" >&2; exit 1; }

measure() {
  local url=$1 encoding=$2 headers=()
  [ "$encoding" = gzip ] && headers=(-H 'Accept-Encoding: gzip')
  wrk -t2 -c16 -d3s "${headers[@]}" "$url" >/dev/null
  wrk -t2 -c16 -d"${duration}s" "${headers[@]}" "$url" | awk '/^Requests\/sec/ { print $2 } /Non-2xx|Socket errors/ { print "errors: " $0 > "/dev/stderr" }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for encoding in identity gzip; do
  standalone=$(measure "http://127.0.0.1:$server_port/metrics" "$encoding")
  kestrel=$(measure "http://127.0.0.1:$kestrel_port/metrics" "$encoding")
  echo "$encoding: MetricServer $standalone req/s, Kestrel endpoint $kestrel req/s, ratio $(python3 -c "print(f'{$standalone / $kestrel:.2f}')")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
