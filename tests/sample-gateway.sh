# Sourced by the soak, hostile-client and fleet scripts: the sample gateway, built in Release and started on 127.0.0.1 with
# zero-latency simulated providers, the demo key of chat.lua given limits that load cannot reach (the runs measure the
# gateway, not its rate limiter) and logs at Warning; stopped, whatever happens, when the script exits.

# start_sample_gateway PORT [GATEWAY ARGUMENT...]: starts it in the background; sets GATEWAY_PID and GATEWAY_LOG.
start_sample_gateway() {
  local port=$1
  shift
  build_sample_gateway
  GATEWAY_LOG=$(mktemp -t sample-gateway.XXXXXX.log)
  launch_sample_gateway "$GATEWAY_LOG" "$port" "$@"
  GATEWAY_PID=$LAUNCHED_PID
  trap stop_sample_gateway EXIT
}

build_sample_gateway() {
  dotnet build -c Release samples/Gateway -v quiet -nologo
}

# launch_sample_gateway LOG PORT [GATEWAY ARGUMENT...]: starts one built gateway in the background, its output in
# LOG, and sets LAUNCHED_PID; the caller stops it. The fleet test starts several this way.
launch_sample_gateway() {
  local log=$1 port=$2
  shift 2
  (cd samples/Gateway/bin/Release/net10.0 && exec dotnet Gateway.dll \
    --Urls="http://127.0.0.1:$port" \
    --Gateway:Simulation:ZeroLatency=true \
    --Gateway:Accounts:team-alpha:RequestsPerMinute=1000000000 \
    --Gateway:Accounts:team-alpha:Burst=1000000000 \
    --Logging:LogLevel:Default=Warning \
    --Logging:LogLevel:Polly=Error \
    "$@") >"$log" 2>&1 &
  LAUNCHED_PID=$!
}

stop_sample_gateway() {
  kill "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  rm -f "$GATEWAY_LOG"
}

# free_loopback_port: a port the kernel just handed out on 127.0.0.1 and released; the gateway binds it a moment later.
free_loopback_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
