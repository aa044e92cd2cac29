#!/usr/bin/env bash
# Hostile and careless clients against the sample gateway, on 127.0.0.1 only, measured on real sockets in a real
# process: builds the gateway in Release, starts it with zero-latency simulated providers, and runs hostile.py:
#   1. 500 SSE and 500 WebSocket clients that connect and never read, for 60 s, beside 1 Hz readers of each kind:
#      resident memory and the kernel's TCP memory (/proc/net/sockstat, and from ss the server's sockets apart from
#      the clients') before, at peak and after; when the non-readers are dropped (metrics_live_clients_dropped_total);
#      every one must be, and no reader. The limits: resident memory +100 MB, the machine's kernel TCP memory +32,000
#      pages at peak (the clients' unread receive queues included; the server's sockets alone are reported beside it).
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

. tests/sample-gateway.sh
port=$(free_loopback_port)
management_port=$(free_loopback_port)
# The live client cap gets room for the 1,000 slow clients and the readers: the run measures what slow clients cost,
# not the cap (the tests cover the cap). Gateway:ManagementUrls puts the operator endpoints on a listener of their own
# where the gateway has one; hostile.py looks for /metrics there first, then beside the chat API.
start_sample_gateway "$port" \
  --Gateway:ManagementUrls="http://127.0.0.1:$management_port" \
  --PrometheusMetrics:LiveClientLimit=1100

status=0
"$python" tests/hostile/hostile.py --pid "$GATEWAY_PID" --chat-url "http://127.0.0.1:$port" \
  --metrics-url "http://127.0.0.1:$management_port" --metrics-url "http://127.0.0.1:$port" "$@" || status=$?
if [ $status -ne 0 ]; then
  echo "gateway log (last 40 lines):"
  tail -40 "$GATEWAY_LOG"
fi
exit $status
