# Sourced by tests/run-tests.sh and .ci/run: ensure_debian_packages PACKAGE... installs those of the named Debian
# packages whose tools are missing, through apt-get when the script runs as root; otherwise it says which are missing
# and goes on, and the tests that need them skip with a reason naming the package (or fail, when CI=true).

# missing_debian_package PACKAGE: succeeds when the tools PACKAGE provides are missing.
missing_debian_package() {
  case "$1" in
    prometheus) ! { command -v promtool && command -v prometheus; } >/dev/null 2>&1 ;;
    python3-prometheus-client) ! /usr/bin/python3 -c 'import prometheus_client.openmetrics.parser' >/dev/null 2>&1 ;;
    python3-protobuf) ! /usr/bin/python3 -c 'import google.protobuf' >/dev/null 2>&1 ;;
    chromium) [ ! -x /usr/bin/chromium ] ;;
    zlib1g-dev) ! dpkg -s zlib1g-dev >/dev/null 2>&1 ;;
    *) ! command -v "$1" >/dev/null 2>&1 ;;
  esac
}

ensure_debian_packages() {
  local need=() package
  for package in "$@"; do
    missing_debian_package "$package" && need+=("$package")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${need[*]}"
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; then
      return 0
    fi
    echo "warning: apt-get could not install ${need[*]}" >&2
  else
    echo "warning: missing Debian packages ${need[*]} (run as root with apt-get to install them)" >&2
  fi
  echo "warning: the tests that need them are skipped, naming the package; with CI=true they fail" >&2
}
