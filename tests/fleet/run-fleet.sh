#!/usr/bin/env bash
# The fleet test: three sample gateways on loopback, each with its own public and management port; a Prometheus agent
# (--enable-feature=agent) scraping their management listeners every second over protobuf (native histograms on) and
# remote-writing to a central Prometheus (--web.enable-remote-write-receiver, native histograms on); a second agent
# without native histograms forwarding the classic buckets of the dual latency histogram, which 2.42 drops from a
# protobuf scrape; and a global Prometheus (native histograms on) federating llm_* from the central one.
# Traffic goes to known replicas in known counts; replica 3 is stopped and started again in the middle, so its
# counters reset. The checks (fleet.py check) hold on the central and on the global server alike:
#   - sum(llm_requests_total) equals what was sent, less what replica 3 counted before its restart, and adding the
#     maxima of replica 3's first life (max_over_time ... @ the instant it was stopped) gives exactly what was sent;
#   - each replica's series are distinct by instance, with the exact count each one served;
#   - sum(increase(...)) across the restart is within the extrapolation's bound of what was sent;
#   - histogram_quantile(0.5, ...) of the stored buckets equals the estimate from the replicas' own /v1/usage
#     histograms summed (replica 3's read before and after its restart), exactly; of the rates, within 5 %;
#   - the native histogram's histogram_count is exactly what each replica counted, across the restart too; its
#     histogram_sum and histogram_quantile(0.5 and 0.99, ...) are what the replicas' own native buckets (decoded from
#     their protobuf /metrics by python3-protobuf, summed by PromQL's rules, estimated by 2.42's interpolation) give,
#     to within rounding; of the rates, within the same bounds as the classic figures.
# Every process is stopped whatever happens; the whole run is bounded by FLEET_TIMEOUT seconds (default 300).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/sample-gateway.sh

PROMETHEUS=/usr/bin/prometheus
# missing WHAT PACKAGE: fails under CI=true, skips otherwise, naming the Debian package to install.
missing() {
  [ "${CI:-}" = true ] && { echo "FAIL: $1 is missing (apt-get install -y $2)" >&2; exit 1; }
  echo "skipped: $1 is missing (apt-get install -y $2)"
  exit 0
}
[ -x "$PROMETHEUS" ] || missing "$PROMETHEUS" prometheus
/usr/bin/python3 -c 'import google.protobuf' 2>/dev/null || missing "Python's google.protobuf for /usr/bin/python3" python3-protobuf

work=$(mktemp -d -t fleet.XXXXXX)
pids=()
# Stops every process in the reverse order of their start, each before the next: an agent stopped after the central
# server would spend its whole flush deadline (a minute) retrying the samples still in its queue.
stop_all() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop_all EXIT
# A deadline for the whole run: past it, the script stops itself and the trap stops every process.
# Stopping the watchdog stops its sleep too, which would otherwise outlive the run.
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "${FLEET_TIMEOUT:-300}" &
  sleeper=$!
  wait "$sleeper"
  echo "FAIL: the fleet test ran past ${FLEET_TIMEOUT:-300} s" >&2
  kill -TERM $$
) &
watchdog=$!
pids+=("$watchdog")

fleet() { /usr/bin/python3 tests/fleet/fleet.py "$@"; }
failed() {
  local log
  for log in "$work"/*.log; do
    echo "--- $log" >&2
    tail -20 "$log" >&2
  done
  echo "FAIL: $*" >&2
  exit 1
}

started=$SECONDS
fleet docs docs/scaling-out.md tests/fleet/prometheus-agent.yml tests/fleet/prometheus-agent-classic.yml \
  tests/fleet/prometheus-central.yml tests/fleet/prometheus-global.yml
build_sample_gateway

declare -A replica_pid
public=() management=()
choose_replica_ports() {
  for i in 1 2 3; do
    public[$i]=$(free_loopback_port)
    management[$i]=$(free_loopback_port)
  done
}
choose_replica_ports
export MANAGEMENT_PORT_1=${management[1]} MANAGEMENT_PORT_2=${management[2]} MANAGEMENT_PORT_3=${management[3]}
export CENTRAL_PORT=$(free_loopback_port)
global_port=$(free_loopback_port)
agent_port=$(free_loopback_port)
classic_agent_port=$(free_loopback_port)

# start_replica I: the sample gateway with low, spread latencies (so the median interpolates across buckets) and no
# simulated faults on the provider the traffic uses (so every request is a 200 and every count is exact).
start_replica() {
  local i=$1
  launch_sample_gateway "$work/replica-$i.log" "${public[$i]}" \
    --Gateway:ManagementUrls="http://127.0.0.1:${management[$i]}" \
    --Gateway:Simulation:ZeroLatency=false \
    --Gateway:Providers:openai-primary:Simulation:LatencyMedianMs=150 \
    --Gateway:Providers:openai-primary:Simulation:LatencySigma=0.9 \
    --Gateway:Providers:openai-primary:Simulation:RateLimitedRate=0 \
    --Gateway:Providers:openai-primary:Simulation:ServerErrorRate=0 \
    --Gateway:Providers:openai-primary:Simulation:TimeoutRate=0
  replica_pid[$i]=$LAUNCHED_PID
  pids+=("$LAUNCHED_PID")
}

wait_http() {
  local url=$1 what=$2
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null --max-time 2 "$url" && return 0
    sleep 0.25
  done
  failed "$what did not answer $url within 60 s"
}

# replica_up I: waits until replica I answers on its management listener; fails fast when it exited (a port that
# another process took between free_loopback_port and the bind).
replica_up() {
  local i=$1
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:${management[$i]}/health" && return 0
    kill -0 "${replica_pid[$i]}" 2>/dev/null || return 1
    sleep 0.25
  done
  failed "replica $i did not answer on its management listener within 60 s"
}

# render TEMPLATE: the config with this run's ports in place of ${...}.
render() {
  /usr/bin/python3 -c 'import os, string, sys; print(string.Template(open(sys.argv[1]).read()).substitute(os.environ), end="")' "$1"
}

# Ports are handed out free but bound a moment later: replicas that lost theirs to another process start again on new ones.
for attempt in 1 2 3; do
  for i in 1 2 3; do start_replica "$i"; done
  all_up=true
  for i in 1 2 3; do replica_up "$i" || all_up=false; done
  $all_up && break
  [ "$attempt" -lt 3 ] || failed "the replicas could not bind their ports in 3 attempts"
  echo "a replica lost its port; starting the three again on new ports"
  for i in 1 2 3; do kill "${replica_pid[$i]}" 2>/dev/null || true; wait "${replica_pid[$i]}" 2>/dev/null || true; done
  choose_replica_ports
  export MANAGEMENT_PORT_1=${management[1]} MANAGEMENT_PORT_2=${management[2]} MANAGEMENT_PORT_3=${management[3]}
done
render tests/fleet/prometheus-central.yml >"$work/central.yml"
render tests/fleet/prometheus-global.yml >"$work/global.yml"
render tests/fleet/prometheus-agent.yml >"$work/agent.yml"
render tests/fleet/prometheus-agent-classic.yml >"$work/agent-classic.yml"
"$PROMETHEUS" --enable-feature=native-histograms --config.file="$work/central.yml" --storage.tsdb.path="$work/central-data" \
  --web.listen-address="127.0.0.1:$CENTRAL_PORT" --web.enable-remote-write-receiver >"$work/central.log" 2>&1 &
pids+=("$!")
"$PROMETHEUS" --enable-feature=native-histograms --config.file="$work/global.yml" --storage.tsdb.path="$work/global-data" \
  --web.listen-address="127.0.0.1:$global_port" >"$work/global.log" 2>&1 &
pids+=("$!")
"$PROMETHEUS" --enable-feature=agent,native-histograms --config.file="$work/agent.yml" --storage.agent.path="$work/agent-data" \
  --web.listen-address="127.0.0.1:$agent_port" >"$work/agent.log" 2>&1 &
pids+=("$!")
"$PROMETHEUS" --enable-feature=agent --config.file="$work/agent-classic.yml" --storage.agent.path="$work/agent-classic-data" \
  --web.listen-address="127.0.0.1:$classic_agent_port" >"$work/agent-classic.log" 2>&1 &
pids+=("$!")

central="http://127.0.0.1:$CENTRAL_PORT"
global="http://127.0.0.1:$global_port"
wait_http "$central/-/ready" "the central Prometheus"
wait_http "$global/-/ready" "the global Prometheus"
wait_http "http://127.0.0.1:$agent_port/-/ready" "the Prometheus agent"
wait_http "http://127.0.0.1:$classic_agent_port/-/ready" "the classic Prometheus agent"
# Every replica's series reach both servers at 0 before any traffic, so no first increment goes unseen: the counters,
# the native histograms (from the agent) and the classic buckets (from the classic agent).
for server in "$central" "$global"; do
  for series in 'llm_requests_total' 'histogram_count(llm_request_duration_seconds)' 'llm_request_duration_seconds_count'; do
    fleet wait "$server" "count(count by (instance) ($series))" 3 || failed "the replicas' $series never reached $server"
  done
done
phase_started=$SECONDS

# Phase 1: every replica serves; then replica 3's first life ends once both servers hold its final values.
fleet send "http://127.0.0.1:${public[1]}" 50 || failed "phase 1 traffic"
fleet send "http://127.0.0.1:${public[2]}" 40 || failed "phase 1 traffic"
fleet send "http://127.0.0.1:${public[3]}" 30 || failed "phase 1 traffic"
r3="127.0.0.1:${management[3]}"
for server in "$central" "$global"; do
  for series in "llm_requests_total{instance=\"$r3\"}" "histogram_count(llm_request_duration_seconds{instance=\"$r3\"})" \
    "llm_request_duration_seconds_count{instance=\"$r3\"}"; do
    fleet wait "$server" "sum($series)" 30 || failed "replica 3's first life of $series never reached $server"
  done
done
fleet usage "http://127.0.0.1:${management[3]}" "$work/usage-3-first.json" || failed "replica 3's /v1/usage"
# Each life lasts at least 20 s, which bounds the extrapolation of rate() (see fleet.py).
while [ $((SECONDS - phase_started)) -lt 20 ]; do sleep 1; done
killed_at=$(date +%s.%N)
kill "${replica_pid[3]}"
wait "${replica_pid[3]}" 2>/dev/null || true

# Phase 2: replica 3 is down; the others serve.
fleet send "http://127.0.0.1:${public[1]}" 10 || failed "phase 2 traffic"
fleet send "http://127.0.0.1:${public[2]}" 10 || failed "phase 2 traffic"

# Phase 3: replica 3 is back on the same ports with every counter at 0.
start_replica 3
wait_http "http://127.0.0.1:${management[3]}/health" "replica 3 after its restart"
restarted=$SECONDS
for series in "llm_requests_total{instance=\"$r3\"}" "histogram_count(llm_request_duration_seconds{instance=\"$r3\"})" \
  "llm_request_duration_seconds_count{instance=\"$r3\"}"; do
  fleet wait "$central" "count($series == 0) == bool count($series)" 1 || failed "replica 3's reset $series never reached the central server"
done
fleet send "http://127.0.0.1:${public[3]}" 20 || failed "phase 3 traffic"
fleet send "http://127.0.0.1:${public[1]}" 15 || failed "phase 3 traffic"
fleet send "http://127.0.0.1:${public[2]}" 5 || failed "phase 3 traffic"
while [ $((SECONDS - restarted)) -lt 20 ]; do sleep 1; done
for server in "$central" "$global"; do
  for series in 'llm_requests_total' 'histogram_count(llm_request_duration_seconds)' 'llm_request_duration_seconds_count'; do
    fleet wait "$server" "sum($series)" 150 || failed "$server never held the last values of $series"
  done
done
for i in 1 2 3; do
  fleet usage "http://127.0.0.1:${management[$i]}" "$work/usage-$i.json" || failed "replica $i's /v1/usage"
done

cat >"$work/state.json" <<JSON
{
  "central": "$central",
  "global": "$global",
  "restarted_instance": "$r3",
  "killed_at": $killed_at,
  "sent": 180,
  "sent_before_restart": 30,
  "expected_by_instance": {"127.0.0.1:${management[1]}": 75, "127.0.0.1:${management[2]}": 55, "$r3": 20},
  "window_seconds": $((SECONDS - started + 60)),
  "usage_files": ["$work/usage-1.json", "$work/usage-2.json", "$work/usage-3-first.json", "$work/usage-3.json"]
}
JSON
fleet check "$work/state.json" || failed "the fleet's figures do not add up"
echo "fleet: passed in $((SECONDS - started)) s"
