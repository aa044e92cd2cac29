#!/usr/bin/env bash
# The README's test command: installs the Debian packages whose tools the tests verify against (promtool and
# Prometheus from 'prometheus', the strict OpenMetrics parser from 'python3-prometheus-client', the protobuf decoder
# from 'python3-protobuf', the dashboard test's 'chromium', the pusher's 'prometheus-pushgateway') when it can, then runs every test. Without them, `dotnet test Metrics.sln` still passes: the tests that
# need a missing tool skip with a reason naming its package (and fail when CI=true). Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/debian-packages.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
ensure_debian_packages prometheus prometheus-pushgateway python3-prometheus-client python3-protobuf chromium
exec dotnet test Metrics.sln "$@"
