#!/usr/bin/env bash
# Uses the packages the way a user does: a brand-new `dotnet new web` project in a temp folder references
# Metrics.AspNetCore by id and version from the local feed artifacts/packages (run `dotnet pack` first), with no
# project reference; gets the three-line setup of the README; builds with warnings as errors; starts on a free
# 127.0.0.1 port; and must answer /metrics with 200 and an exposition that passes promtool and holds the request
# made here.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/smoke-lib.sh

repo=$(pwd)
feed="$repo/artifacts/packages"
version=$(dotnet msbuild src/Metrics.AspNetCore/Metrics.AspNetCore.csproj -getProperty:Version -nologo)
for id in Metrics.Core Metrics.AspNetCore; do
  [ -f "$feed/$id.$version.nupkg" ] || fail "$feed/$id.$version.nupkg is missing: run dotnet pack -c Release -o artifacts/packages first"
done

work=$(mktemp -d)
trap 'stop_app; rm -rf "$work"' EXIT
# A package folder of its own, so a 0.1.0 cached from an earlier pack can never stand in for the one just built.
export NUGET_PACKAGES="$work/packages"
# Empty Directory.Build files stop MSBuild from importing any it would find in the folders above the temp folder.
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo '<Project />' >"$work/$file"
done
# NuGet merges this file with the machine's user-level configuration, so the default source stays and the local
# feed is added to it.
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="metrics-local" value="$feed" />
  </packageSources>
</configuration>
XML

cd "$work"
timeout 120 dotnet new web --name SmokeConsumer --output app --framework net10.0 --no-restore >"$work/new.log" 2>&1 \
  || { cat "$work/new.log" >&2; fail "dotnet new web failed"; }
cd app
timeout 300 dotnet add package Metrics.AspNetCore --version "$version" >"$work/add.log" 2>&1 \
  || { cat "$work/add.log" >&2; fail "dotnet add package Metrics.AspNetCore --version $version failed"; }

# The package restored must be the one in the local feed, byte for byte.
for id in Metrics.Core Metrics.AspNetCore; do
  lower=$(echo "$id" | tr '[:upper:]' '[:lower:]')
  expected=$(openssl dgst -sha512 -binary "$feed/$id.$version.nupkg" | base64 -w0)
  [ "$(cat "$NUGET_PACKAGES/$lower/$version/$lower.$version.nupkg.sha512")" = "$expected" ] \
    || fail "$id $version was not restored from $feed"
done

# The README's three lines, put into the template's Program.cs where a user would write them.
python3 - Program.cs <<'PY'
import sys
path = sys.argv[1]
program = open(path).read()
build = "var app = builder.Build();\n"
if build not in program:
    sys.exit(f"the template's Program.cs has no line {build!r}:\n{program}")
program = program.replace(build, "builder.Services.AddPrometheusMetrics();\n" + build
                          + "app.UsePrometheusRequestMetrics();\napp.MapPrometheusMetrics();\n", 1)
open(path, "w").write(program)
PY

timeout 600 dotnet build -c Release -warnaserror -nologo >"$work/build.log" 2>&1 \
  || { grep -E 'error|warning' "$work/build.log" >&2 || tail -40 "$work/build.log" >&2; fail "the consumer project does not build"; }

port=$(free_port)
base="http://127.0.0.1:$port"
start_app "$work/app.log" dotnet bin/Release/net10.0/SmokeConsumer.dll --urls "$base"
wait_until_up "$base/metrics" "$work/app.log"

expect_status 200 "$(get "$base/" "$work/root.txt")" "GET /"
expect_status 200 "$(get "$base/metrics" "$work/metrics.txt")" "GET /metrics"
promtool_check "$work/metrics.txt"
expect_line "$work/metrics.txt" 'http_requests_total{route="/",method="GET",status="200"} 1'
echo "consumer smoke: Metrics.AspNetCore $version from $feed in a new web project: passed"
