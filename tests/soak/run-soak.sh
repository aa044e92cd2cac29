#!/usr/bin/env bash
# Load soak of the sample gateway, on 127.0.0.1 only: builds it in Release, starts it with zero-latency simulated
# providers on a free public port and a free management port, and runs soak.py (wrk at 2 connections per core on the
# public listener, a scraper checking /metrics on the management listener every 250 ms, deliberate failures set
# through the management listener's simulator, exact totals and resident memory). The gateway is always stopped,
# whatever happens.
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

dotnet build -c Release samples/Gateway -v quiet -nologo
output=samples/Gateway/bin/Release/net10.0
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
management_port=$(free_port)
log=$(mktemp -t soak-gateway.XXXXXX.log)

# The demo key of chat.lua gets limits that load cannot reach: the soak measures the gateway, not its rate limiter.
(cd "$output" && exec dotnet Gateway.dll \
  --Urls="http://127.0.0.1:$port" \
  --Gateway:ManagementUrls="http://127.0.0.1:$management_port" \
  --Gateway:Simulation:ZeroLatency=true \
  --Gateway:Accounts:team-alpha:RequestsPerMinute=1000000000 \
  --Gateway:Accounts:team-alpha:Burst=1000000000 \
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
# Debian's python3-prometheus-client is installed for /usr/bin/python3, which a PATH python may not see.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" tests/soak/soak.py --url "http://127.0.0.1:$port" --management-url "http://127.0.0.1:$management_port" --pid "$gateway" --duration "$duration" || status=$?
if [ $status -ne 0 ]; then
  echo "gateway log (last 40 lines):"
  tail -40 "$log"
fi
exit $status
