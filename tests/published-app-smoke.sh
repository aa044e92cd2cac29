#!/usr/bin/env bash
# Publishes tests/TrimSmoke the way a user ships the adapter, trimmed or as native AOT, with every warning an error
# and none allowed in the log; starts the published app on a free 127.0.0.1 port; and checks from outside that the
# request middleware, /metrics (200, promtool-clean, the series of the requests made here), /metrics/snapshot (200, the
# JSON fields), Core's standalone MetricServer (negotiation, gzip, HEAD, 405) and its MetricPusher (a push a real
# Pushgateway holds) work in the published form.
#
#   bash tests/published-app-smoke.sh trimmed    # PublishTrimmed=true, self-contained
#   bash tests/published-app-smoke.sh aot        # PublishAot=true: needs clang and zlib1g-dev
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/smoke-lib.sh

mode=${1:-}
case "$mode" in
  trimmed) publish_flags=(--self-contained -p:PublishTrimmed=true) ;;
  aot) publish_flags=(-p:PublishAot=true) ;;
  *) fail "usage: published-app-smoke.sh trimmed|aot" ;;
esac

out="$(pwd)/artifacts/smoke/$mode"
work=$(mktemp -d)
trap 'stop_app; rm -rf "$work"' EXIT
rm -rf "$out"

started=$SECONDS
if ! timeout 900 dotnet publish tests/TrimSmoke/TrimSmoke.csproj -c Release -r linux-x64 "${publish_flags[@]}" \
    -warnaserror -nologo -o "$out" >"$work/publish.log" 2>&1; then
  grep -E 'error|warning' "$work/publish.log" | sort -u >&2 || tail -40 "$work/publish.log" >&2
  fail "$mode publish failed"
fi
# -warnaserror already turns trim (IL2xxx), AOT (IL3xxx) and single-file warnings into errors; this makes sure no
# warning of any kind slipped through as a message.
if grep -iE '(^|[^a-z])warning [A-Z]+[0-9]+' "$work/publish.log" >&2; then
  fail "$mode publish logged warnings"
fi
echo "$mode publish: $((SECONDS - started)) s, 0 warnings"

port=$(free_port)
base="http://127.0.0.1:$port"
server_url="http://127.0.0.1:$(free_port)/custom-metrics"
pushgateway_args=()
if [ -x /usr/bin/prometheus-pushgateway ]; then
  pushgateway="127.0.0.1:$(free_port)"
  # An empty persistence file keeps the groups in memory: Debian's default file is shared by every Pushgateway here.
  /usr/bin/prometheus-pushgateway --web.listen-address="$pushgateway" --persistence.file= --log.level=warn >"$work/pushgateway.log" 2>&1 &
  PUSHGATEWAY_PID=$!
  trap 'stop_app; kill "$PUSHGATEWAY_PID" 2>/dev/null; wait "$PUSHGATEWAY_PID" 2>/dev/null; rm -rf "$work"' EXIT
  pushgateway_args=(--Smoke:PushgatewayUrl "http://$pushgateway")
elif [ "${CI:-}" = true ]; then
  fail "prometheus-pushgateway is missing (apt-get install -y prometheus-pushgateway); CI=true needs it"
else
  echo "warning: prometheus-pushgateway is missing (apt-get install -y prometheus-pushgateway): the pusher is not checked" >&2
fi
start_app "$work/app.log" "$out/TrimSmoke" --urls "$base" --contentRoot "$out" --Smoke:MetricServerUrl "$server_url" "${pushgateway_args[@]}"
wait_until_up "$base/health" "$work/app.log"

expect_status 200 "$(get "$base/hello/world" "$work/hello.txt")" "GET /hello/world"
[ "$(cat "$work/hello.txt")" = "hello world" ] || fail "GET /hello/world answered '$(cat "$work/hello.txt")'"
expect_status 200 "$(get "$base/health" "$work/health.txt")" "GET /health"

expect_status 200 "$(get "$base/metrics" "$work/metrics.txt" "$work/metrics.headers")" "GET /metrics"
grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$work/metrics.headers" \
  || fail "/metrics sent $(grep -i '^content-type' "$work/metrics.headers")"
promtool_check "$work/metrics.txt"
# The middleware's series for the one /hello request, with buckets bound from appsettings.json, which proves the
# configuration binding survived publishing; /health is excluded there, so it must have no series.
expect_line "$work/metrics.txt" 'http_requests_total{route="/hello/{name}",method="GET",status="200"} 1'
expect_line "$work/metrics.txt" 'http_request_duration_seconds_count{route="/hello/{name}",method="GET",status="200"} 1'
grep -qF 'http_request_duration_seconds_bucket{route="/hello/{name}",method="GET",status="200",le="0.05"}' "$work/metrics.txt" \
  || fail "no le=\"0.05\" bucket: RequestDurationBuckets from appsettings.json was not bound"
! grep -qF 'route="/health"' "$work/metrics.txt" || fail "/health was recorded although ExcludedPaths holds it"
expect_line "$work/metrics.txt" 'smoke_greetings_total{name="world"} 1'
grep -qE '^http_connections_total [1-9][0-9]*$' "$work/metrics.txt" || fail "http_connections_total counted no connection"
grep -qE '^process_cpu_seconds_total ' "$work/metrics.txt" || fail "the process collector is missing"
grep -qE '^dotnet_gc_heap_size_bytes ' "$work/metrics.txt" || fail "the runtime collector is missing"

expect_status 200 "$(get "$base/metrics/snapshot" "$work/usage.json" "$work/usage.headers")" "GET /metrics/snapshot"
grep -qi '^content-type: application/json; charset=utf-8' "$work/usage.headers" \
  || fail "/metrics/snapshot sent $(grep -i '^content-type' "$work/usage.headers")"
python3 - "$work/usage.json" <<'PY' || fail "/metrics/snapshot JSON is not what the adapter documents"
import datetime, json, sys

doc = json.load(open(sys.argv[1]))
datetime.datetime.fromisoformat(doc["timestamp"])
families = {f["name"]: f for f in doc["families"]}
names = [f["name"] for f in doc["families"]]
assert names == sorted(names), "families are not sorted by name"

requests = families["http_requests_total"]
assert requests["type"] == "counter" and requests["labelNames"] == ["route", "method", "status"], requests
hello = {"route": "/hello/{name}", "method": "GET", "status": "200"}
assert [s["value"] for s in requests["series"] if s["labels"] == hello] == [1], requests["series"]

duration = families["http_request_duration_seconds"]
assert duration["type"] == "histogram", duration["type"]
series = [s for s in duration["series"] if s["labels"] == hello]
assert len(series) == 1, duration["series"]
histogram = series[0]
assert histogram["count"] == 1 and histogram["sum"] > 0, histogram
assert [b["le"] for b in histogram["buckets"]] == [0.005, 0.05, 0.5, 5], histogram["buckets"]
assert [q["quantile"] for q in histogram["quantiles"]] == [0.5, 0.95, 0.99] and all(q["value"] > 0 for q in histogram["quantiles"]), histogram

greetings = families["smoke_greetings_total"]
assert greetings["help"] == "Greetings served, by name.", greetings
assert greetings["series"] == [{"labels": {"name": "world"}, "value": 1}], greetings["series"]
PY

# Core's standalone server on the same registry: the same negotiation, gzip, HEAD and 405 as /metrics.
expect_status 200 "$(get "$server_url" "$work/server.txt" "$work/server.headers")" "GET $server_url"
grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$work/server.headers" || fail "the metric server sent $(grep -i '^content-type' "$work/server.headers")"
promtool_check "$work/server.txt"
expect_line "$work/server.txt" 'smoke_greetings_total{name="world"} 1'
curl -s --max-time 10 -H 'Accept-Encoding: gzip' -H 'Accept: application/openmetrics-text; version=1.0.0' -D "$work/server-gzip.headers" -o "$work/server.gz" "$server_url"
grep -qi '^content-encoding: gzip' "$work/server-gzip.headers" || fail "the metric server did not gzip"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$work/server-gzip.headers" || fail "the metric server did not negotiate OpenMetrics"
gunzip -c "$work/server.gz" | tail -1 | grep -qx '# EOF' || fail "the gzipped OpenMetrics scrape does not end with # EOF"
expect_status 405 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --data '' "$server_url")" "POST $server_url"
expect_status 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -I "$server_url")" "HEAD $server_url"

# Core's pusher: one push, then the Pushgateway holds the group with its @base64 instance and the app's series.
if [ ${#pushgateway_args[@]} -gt 0 ]; then
  expect_status 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST "$base/push")" "POST /push"
  curl -s --max-time 10 -o "$work/pushgateway.txt" "http://$pushgateway/metrics"
  expect_line "$work/pushgateway.txt" 'smoke_greetings_total{instance="a/b",job="trim-smoke",name="world"} 1'
fi

size=$(find "$out" -type f ! -name '*.pdb' ! -name '*.xml' ! -name '*.dbg' -printf '%s\n' | awk '{ s += $1 } END { print s }')
echo "$mode app: $(find "$out" -maxdepth 1 -type f ! -name '*.pdb' ! -name '*.xml' ! -name '*.dbg' | wc -l) files, $size bytes without symbols and docs; executable $(stat -c %s "$out/TrimSmoke") bytes"
echo "$mode smoke: passed"
