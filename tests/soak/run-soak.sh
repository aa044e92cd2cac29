#!/usr/bin/env bash
# Load soak of the sample gateway, on 127.0.0.1 only: builds it in Release, starts it with zero-latency simulated
# providers on a free public port and a free management port (tests/sample-gateway.sh), and runs soak.py (wrk at 2
# connections per core on the public listener, a scraper checking /metrics on the management listener every 250 ms,
# deliberate failures set through the management listener's simulator, exact totals and resident memory). The gateway
# is always stopped, whatever happens.
#
#   bash tests/soak/run-soak.sh                 # 30 s, as CI runs it
#   bash tests/soak/run-soak.sh --duration 600  # the long mode, for manual runs
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=30
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    *) echo "usage: $0 [--duration seconds]" >&2; exit 2 ;;
  esac
done
case "$duration" in ''|*[!0-9]*) echo "--duration takes whole seconds, not '$duration'" >&2; exit 2 ;; esac

command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

. tests/sample-gateway.sh
port=$(free_loopback_port)
management_port=$(free_loopback_port)
start_sample_gateway "$port" --Gateway:ManagementUrls="http://127.0.0.1:$management_port"

status=0
# Debian's python3-prometheus-client is installed for /usr/bin/python3, which a PATH python may not see.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" tests/soak/soak.py --url "http://127.0.0.1:$port" --management-url "http://127.0.0.1:$management_port" --pid "$GATEWAY_PID" --duration "$duration" || status=$?
if [ $status -ne 0 ]; then
  echo "gateway log (last 40 lines):"
  tail -40 "$GATEWAY_LOG"
fi
exit $status
