#!/usr/bin/env bash
# Hostile and careless clients against the sample gateway, on 127.0.0.1 only, measured on real sockets in a real
# process: builds the gateway in Release, starts it with zero-latency simulated providers, and runs hostile.py:
#   1. 500 SSE and 500 WebSocket clients that connect and never read, for 60 s, beside 1 Hz readers of each kind:
#      resident memory and the kernel's TCP memory (/proc/net/sockstat) before, at peak and after; when the
#      non-readers are dropped (metrics_live_clients_dropped_total); the readers must never be.
#   2. chat throughput under wrk with no scrapers, then beside 200 concurrent scrapers looping on /metrics: the ratio,
#      scrapes per second and collections per scrape (metrics_scrape_collections_total).
# The gateway is always stopped, whatever happens.
#
#   bash tests/hostile/run-hostile.sh                       # as CI runs it
#   bash tests/hostile/run-hostile.sh --phases flood        # one phase (slow, flood); other hostile.py options pass too
#   bash tests/hostile/run-hostile.sh --chat-url URL --metrics-url URL [--pid PID]   # against a gateway already running
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
python=/usr/bin/python3
[ -x "$python" ] || python=python3

case " $* " in
  *" --chat-url "*) exec "$python" tests/hostile/hostile.py "$@" ;;
esac

dotnet build -c Release samples/Gateway -v quiet -nologo
output=samples/Gateway/bin/Release/net10.0
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
management_port=$(free_port)
log=$(mktemp -t hostile-gateway.XXXXXX.log)

# The demo key of chat.lua gets limits that load cannot reach, and the live client cap room for the 1,000 slow
# clients and the readers: the run measures what slow clients cost, not the cap (the tests cover the cap).
# Gateway:ManagementUrls puts the operator endpoints on a listener of their own where the gateway has one; hostile.py
# looks for /metrics there first, then beside the chat API.
(cd "$output" && exec dotnet Gateway.dll \
  --Urls="http://127.0.0.1:$port" \
  --Gateway:ManagementUrls="http://127.0.0.1:$management_port" \
  --Gateway:Simulation:ZeroLatency=true \
  --Gateway:Accounts:team-alpha:RequestsPerMinute=1000000000 \
  --Gateway:Accounts:team-alpha:Burst=1000000000 \
  --PrometheusMetrics:LiveClientLimit=1100 \
  --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Polly=Error) >"$log" 2>&1 &
gateway=$!
stop() {
  kill "$gateway" 2>/dev/null || true
  wait "$gateway" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT

status=0
"$python" tests/hostile/hostile.py --pid "$gateway" --chat-url "http://127.0.0.1:$port" \
  --metrics-url "http://127.0.0.1:$management_port" --metrics-url "http://127.0.0.1:$port" "$@" || status=$?
if [ $status -ne 0 ]; then
  echo "gateway log (last 40 lines):"
  tail -40 "$log"
fi
exit $status
