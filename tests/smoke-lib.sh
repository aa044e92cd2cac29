# Sourced by the smoke scripts: a free loopback port, one application process that is always stopped, bounded
# waits and requests, and promtool. Every wait and request has a deadline, so a hung app fails the script instead
# of hanging CI.

APP_PID=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A port the kernel just handed out on 127.0.0.1 and released; the app binds it a moment later.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_app LOG COMMAND...: runs the app in the background, its output in LOG.
start_app() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  APP_PID=$!
}

# Stops the app started by start_app, if it still runs: SIGTERM, up to 10 s for a graceful shutdown, then SIGKILL.
stop_app() {
  [ -n "$APP_PID" ] || return 0
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$APP_PID" 2>/dev/null || true
  fi
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

# wait_until_up URL LOG: polls URL for up to 60 s; fails early, with the app's output, if the app exits.
wait_until_up() {
  local url=$1 log=$2
  for _ in $(seq 1 120); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      cat "$log" >&2
      fail "the app exited before answering $url"
    fi
    curl -s -o /dev/null --max-time 2 "$url" && return 0
    sleep 0.5
  done
  cat "$log" >&2
  fail "no answer from $url within 60 s"
}

# get URL BODY_FILE [HEADERS_FILE]: prints the status code; the body goes to BODY_FILE.
get() {
  # curl prints 000 through -w itself when it gets no answer.
  curl -s --max-time 15 -o "$2" -D "${3:-/dev/null}" -w '%{http_code}' "$1" || true
}

# expect_status WANT GOT WHAT
expect_status() {
  [ "$2" = "$1" ] || fail "$3 answered $2, expected $1"
}

# expect_line FILE LINE: FILE holds LINE exactly, as a whole line.
expect_line() {
  grep -qxF -- "$2" "$1" || { echo "--- $1:" >&2; head -c 4000 "$1" >&2; fail "missing line: $2"; }
}

# promtool_check FILE: the exposition passes promtool check metrics.
promtool_check() {
  command -v promtool >/dev/null 2>&1 || fail "promtool is missing: apt-get install -y prometheus"
  promtool check metrics <"$1" || fail "promtool check metrics rejected $1"
}
