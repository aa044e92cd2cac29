"""Soak driver for run-soak.sh: load, scrape checks, exact totals and memory. Exits 1 on any failed check.

Every loop is bounded in count and time, and every request goes to 127.0.0.1.
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from prometheus_client.openmetrics.parser import text_string_to_metric_families

OPENMETRICS = "application/openmetrics-text; version=1.0.0"
SCRAPE_INTERVAL = 0.25
WARMUP_SECONDS = 5
# Resident memory is compared as the median of the readings taken with the scrapes of the first and of the last
# seconds of the run: one reading lands anywhere on the server GC's sawtooth, 15-25 MiB high at this load, which a
# single before-and-after pair read as growth even over runs of 120 s that settle flat.
MEMORY_WINDOW_SECONDS = 5
# Failures injected at the midpoint into the primary provider of chat.lua's model. Retries and failover to the
# secondary must absorb every one: clients see no 5xx at all, and the failures show up as failovers.
INJECTED_FAILURES = 20
MEMORY_GROWTH_LIMIT = 0.20


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--url", required=True, help="the public listener: the load")
    arguments.add_argument("--management-url", required=True, help="the management listener: scrapes and the simulator")
    arguments.add_argument("--pid", type=int, required=True)
    arguments.add_argument("--duration", type=int, default=30)
    options = arguments.parse_args()
    if not options.url.startswith("http://127.0.0.1:") or not options.management_url.startswith("http://127.0.0.1:"):
        sys.exit("the soak only drives 127.0.0.1")
    management = options.management_url

    failures = []
    wait_until_ready(options.url)
    connections = 2 * (os.cpu_count() or 1)
    run_wrk(options.url, connections, WARMUP_SECONDS)
    rss_warm = resident_kib(options.pid)
    warm = settled_scrape(management)

    scraper = Scraper(management, options.duration, options.pid)
    scraper.start()
    injector = threading.Timer(options.duration / 2, inject_failures, [management])
    injector.start()
    # The half-time reading tells growth that levels off (heap sizing under load) from growth that goes on.
    rss_half = []
    half_time = threading.Timer(options.duration / 2, lambda: rss_half.append(resident_kib(options.pid)))
    half_time.start()
    counts, wrk_output = run_wrk(options.url, connections, options.duration)
    injector.join(timeout=30)
    half_time.join(timeout=30)
    scraper.stop()
    after_scrape = settled_scrape(management)
    rss_after = resident_kib(options.pid)

    failures.extend(scraper.failures)
    if scraper.count == 0:
        failures.append("the scraper took no scrape")

    served = total(after_scrape, "llm_requests_total") - total(warm, "llm_requests_total")
    failovers = total(after_scrape, "llm_failovers_total") - total(warm, "llm_failovers_total")
    if not 1 <= failovers <= INJECTED_FAILURES:
        failures.append(f"llm_failovers_total grew by {failovers}; the {INJECTED_FAILURES} injected failures should cause between 1 and {INJECTED_FAILURES}")
    completed = counts["completed"]
    # soak.lua counts request() calls; wrk makes one of them on the first thread before the run, to check the
    # script, and never sends it.
    sent = counts["sent"] - 1
    # wrk counts a request when its response is complete. At the end of the run it closes every connection, each
    # with at most one request outstanding, which it never counts; the gateway still records those (answered, or
    # 499 when it sees the client go). So the gateway must count exactly what wrk sent, which exceeds what wrk
    # completed by at most one request per connection.
    if not 0 <= sent - completed <= connections:
        failures.append(f"wrk sent {sent} requests and completed {completed}: not at most one outstanding per connection ({connections})")
    if served != sent:
        failures.append(f"llm_requests_total grew by {served}, but wrk sent {sent} requests ({completed} completed)")
    statuses = {int(status): count for status, count in counts["statuses"].items()}
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    if server_errors > 0:
        failures.append(f"{server_errors} 5xx responses {statuses}: the injected failures should all have been absorbed")
    errors = counts["errors"]
    if errors["connect"] or errors["write"] or errors["timeout"]:
        failures.append(f"wrk socket errors: {errors}")
    window = max(1, int(MEMORY_WINDOW_SECONDS / SCRAPE_INTERVAL))
    rss_first = statistics.median(scraper.rss[:window] or [rss_warm])
    rss_last = statistics.median(scraper.rss[-window:] or [rss_after])
    growth = (rss_last - rss_first) / rss_first
    if growth > MEMORY_GROWTH_LIMIT:
        failures.append(f"resident memory grew {growth:+.1%}, from a median {rss_first:.0f} KiB over the first {MEMORY_WINDOW_SECONDS} s to {rss_last:.0f} KiB over the last")

    seconds = counts["duration_us"] / 1e6
    print(f"soak: {options.duration} s, {connections} connections ({os.cpu_count()} cores), "
          f"{completed} requests completed ({completed / seconds:.1f} req/s), {sent - completed} cut off at the end, "
          f"gateway counted {served:.0f} of {sent} sent; client statuses {dict(sorted(statuses.items()))}; {server_errors} 5xx, {failovers:.0f} failovers from {INJECTED_FAILURES} injected failures; "
          f"{scraper.count} scrapes checked; RSS {rss_warm / 1024:.1f} MiB after warm-up, "
          f"{rss_half[0] / 1024 if rss_half else float('nan'):.1f} MiB at half-time, {rss_after / 1024:.1f} MiB after the soak; "
          f"median {rss_first / 1024:.1f} MiB over the first {MEMORY_WINDOW_SECONDS} s, {rss_last / 1024:.1f} MiB over the last ({growth:+.1%})")
    if failures:
        print("wrk output:\n" + wrk_output)
        for failure in failures[:20]:
            print("FAIL: " + failure)
        sys.exit(1)


def wait_until_ready(url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("the gateway did not answer /health within 60 s")


def run_wrk(url, connections, seconds):
    """Runs wrk with soak.lua and returns its counts and its output."""
    command = ["wrk", f"-t{min(connections, os.cpu_count() or 1)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", "tests/soak/soak.lua", url + "/v1/chat/completions"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if run.returncode != 0:
        sys.exit(f"wrk failed ({run.returncode}): {run.stdout}{run.stderr}")
    match = re.search(r"^SOAK-COUNTS (.*)$", run.stdout, re.MULTILINE)
    if match is None:
        sys.exit("wrk printed no counts:\n" + run.stdout + run.stderr)
    return json.loads(match.group(1)), run.stdout


def inject_failures(management_url):
    """Sets the failures through the simulator, an operator endpoint of the management listener: no key."""
    body = json.dumps({"mode": "failing", "count": INJECTED_FAILURES}).encode()
    request = urllib.request.Request(f"{management_url}/simulator/providers/openai-primary", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 200:
            raise RuntimeError(f"could not inject failures: {response.status}")


def scrape(url):
    request = urllib.request.Request(url + "/metrics", headers={"Accept": OPENMETRICS})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("utf-8")


def settled_scrape(url):
    """A scrape taken once no request is in flight, so the requests wrk cut off at its end are all counted."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        exposition = scrape(url)
        if "\nhttp_requests_in_flight " not in exposition:
            sys.exit("the gateway exposes no http_requests_in_flight")
        if total(exposition, "http_requests_in_flight") == 0:
            return exposition
        time.sleep(0.05)
    sys.exit("requests were still in flight 30 s after wrk stopped")


def total(exposition, sample_name):
    return sum(sample.value for family in text_string_to_metric_families(exposition)
               for sample in family.samples if sample.name == sample_name)


def resident_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


class Scraper(threading.Thread):
    """Scrapes every 250 ms while wrk runs, checking each scrape; bounded in time and in count."""

    def __init__(self, url, duration, pid):
        super().__init__(daemon=True)
        self.url = url
        self.pid = pid
        self.rss = []
        self.deadline = time.monotonic() + duration + 30
        self.limit = int(duration / SCRAPE_INTERVAL) + 120
        self.count = 0
        self.failures = []
        self.last_total = 0
        self._halt = threading.Event()

    def stop(self):
        self._halt.set()
        self.join(timeout=30)

    def run(self):
        while not self._halt.is_set() and self.count < self.limit and time.monotonic() < self.deadline:
            started = time.monotonic()
            try:
                self.rss.append(resident_kib(self.pid))
                self.check(scrape(self.url))
            except Exception as error:  # every failure of a scrape is a finding, reported with the scrape number
                self.failures.append(f"scrape {self.count + 1}: {error!r}")
            self.count += 1
            self._halt.wait(max(0.0, SCRAPE_INTERVAL - (time.monotonic() - started)))

    def check(self, exposition):
        seen = set()
        for family in text_string_to_metric_families(exposition):
            for sample in family.samples:
                key = (sample.name, tuple(sorted(sample.labels.items())))
                if key in seen:
                    raise AssertionError(f"duplicate series {key}")
                seen.add(key)
            if family.type == "histogram":
                self.check_histogram(family)
            if family.name == "llm_requests":
                total = sum(sample.value for sample in family.samples if sample.name == "llm_requests_total")
                if total < self.last_total:
                    raise AssertionError(f"llm_requests_total went down from {self.last_total} to {total}")
                self.last_total = total

    @staticmethod
    def check_histogram(family):
        series = {}
        for sample in family.samples:
            labels = tuple(sorted((name, value) for name, value in sample.labels.items() if name != "le"))
            entry = series.setdefault(labels, {"buckets": [], "count": None})
            if sample.name.endswith("_bucket"):
                entry["buckets"].append((float(sample.labels["le"]), sample.value))
            elif sample.name.endswith("_count"):
                entry["count"] = sample.value
        for labels, entry in series.items():
            buckets = entry["buckets"]
            bounds = [bound for bound, _ in buckets]
            counts = [count for _, count in buckets]
            if not buckets or bounds[-1] != math.inf:
                raise AssertionError(f"{family.name}{labels} has no +Inf bucket")
            if bounds != sorted(bounds) or any(later < earlier for earlier, later in zip(counts, counts[1:])):
                raise AssertionError(f"{family.name}{labels} buckets are not monotone: {buckets}")
            if entry["count"] is not None and entry["count"] != counts[-1]:
                raise AssertionError(f"{family.name}{labels} _count {entry['count']} differs from +Inf bucket {counts[-1]}")


if __name__ == "__main__":
    main()
