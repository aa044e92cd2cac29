"""Steps of tests/fleet/run-fleet.sh: traffic, bounded waits on PromQL, the replicas' own histograms, and the checks.

Standard library only. Every HTTP call and every wait has a deadline; a failed check exits non-zero with what it saw.

  fleet.py send BASE_URL COUNT                          COUNT chat requests, 8 at a time; all must answer 200
  fleet.py wait PROMETHEUS PROMQL VALUE [SECONDS]       until PROMQL returns exactly VALUE (one sample)
  fleet.py usage MANAGEMENT_URL FILE                    the replica's llm_request_duration_seconds, buckets summed
  fleet.py check STATE_FILE                             every assertion on the central and the global server
  fleet.py docs DOC FILE...                             each FILE appears in DOC word for word
"""
import concurrent.futures
import json
import math
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

KEY = "gw-demo-alpha-4f1c9e7a2b"
BODY = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}).encode()
FAMILY = "llm_request_duration_seconds"


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def chat(base):
    request = urllib.request.Request(f"{base}/v1/chat/completions", data=BODY, method="POST", headers={
        "Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def send(base, count):
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: chat(base), range(count)))
    refused = [status for status in statuses if status != 200]
    if refused:
        fail(f"{len(refused)} of {count} requests to {base} did not answer 200: {sorted(set(refused))}")
    print(f"sent {count} requests to {base}: all 200")


def query(prometheus, promql, at=None):
    parameters = {"query": promql}
    if at is not None:
        parameters["time"] = repr(at)
    url = f"{prometheus}/api/v1/query?{urllib.parse.urlencode(parameters)}"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success" or body["data"]["resultType"] != "vector":
        fail(f"{promql} on {prometheus}: {body}")
    return [(sample["metric"], float(sample["value"][1])) for sample in body["data"]["result"]]


def scalar(prometheus, promql):
    result = query(prometheus, promql)
    if len(result) != 1:
        fail(f"{promql} on {prometheus} returned {len(result)} samples: {result}")
    return result[0][1]


def wait(prometheus, promql, value, seconds=60):
    deadline = time.monotonic() + seconds
    seen = None
    while time.monotonic() < deadline:
        try:
            result = query(prometheus, promql)
            seen = result
            if len(result) == 1 and result[0][1] == value:
                return
        except (urllib.error.URLError, OSError) as error:
            seen = error
        time.sleep(0.25)
    fail(f"{promql} on {prometheus} did not reach {value} within {seconds} s; last saw {seen}")


def usage(management, path):
    url = f"{management}/v1/usage?family={FAMILY}"
    with urllib.request.urlopen(url, timeout=10) as response:
        family = next(f for f in json.load(response)["families"] if f["name"] == FAMILY)
    summed = {}
    count = 0
    for series in family["series"]:
        count += series["count"]
        for bucket in series["buckets"]:
            summed[bucket["le"]] = summed.get(bucket["le"], 0) + bucket["count"]
    with open(path, "w") as out:
        json.dump({"buckets": sorted(summed.items()), "count": count}, out)


def histogram_quantile(q, buckets, count):
    """Prometheus's own estimate (promql/quantile.go): linear inside the bucket holding the rank, 0 below the first."""
    bounds = [(le, cumulative) for le, cumulative in buckets] + [(math.inf, count)]
    rank = q * count
    previous_bound, previous_count = 0.0, 0
    for bound, cumulative in bounds:
        if cumulative >= rank:
            if math.isinf(bound):
                return previous_bound
            return previous_bound + (bound - previous_bound) * (rank - previous_count) / (cumulative - previous_count)
        previous_bound, previous_count = bound, cumulative
    return math.nan


def add_histograms(paths):
    total = {}
    count = 0
    for path in paths:
        with open(path) as source:
            histogram = json.load(source)
        count += histogram["count"]
        for le, cumulative in histogram["buckets"]:
            total[le] = total.get(le, 0) + cumulative
    return sorted(total.items()), count


def check(state_path):
    with open(state_path) as source:
        state = json.load(source)
    restarted = state["restarted_instance"]
    killed_at = state["killed_at"]
    sent = state["sent"]
    before_restart = state["sent_before_restart"]
    window = f"{state['window_seconds']}s"
    buckets, count = add_histograms(state["usage_files"])
    expected_median = histogram_quantile(0.5, buckets, count)
    if count != sent:
        fail(f"the replicas' own histograms hold {count} observations, but {sent} requests were sent")
    figures = {"sent": sent, "sent_to_restarted_replica_before_restart": before_restart,
               "expected_median_from_usage": expected_median, "observations": count}

    # The restarted replica's first life, read at the last instant before it was stopped: its maxima are its final values.
    first_life = f'max_over_time(llm_requests_total{{instance="{restarted}"}}[{window}] @ {killed_at})'
    first_life_buckets = f'max_over_time({FAMILY}_bucket{{instance="{restarted}"}}[{window}] @ {killed_at})'
    for name, prometheus in (("central", state["central"]), ("global", state["global"])):
        last = scalar(prometheus, "sum(llm_requests_total)")
        across = scalar(prometheus, f"sum(llm_requests_total) + scalar(sum({first_life}))")
        increase = scalar(prometheus, f"sum(increase(llm_requests_total[{window}]))")
        by_instance = {metric["instance"]: value for metric, value in query(prometheus, "sum by (instance) (llm_requests_total)")}
        exact_median = scalar(prometheus, f"histogram_quantile(0.5, sum by (le) ({FAMILY}_bucket) + sum by (le) ({first_life_buckets}))")
        rate_median = scalar(prometheus, f"histogram_quantile(0.5, sum by (le) (rate({FAMILY}_bucket[{window}])))")
        figures[name] = {"sum_last_values": last, "sum_across_restart": across, "sum_increase": increase,
                         "by_instance": by_instance, "median_exact": exact_median, "median_rate": rate_median}

        if last != sent - before_restart:
            fail(f"{name}: sum(llm_requests_total) = {last}, expected {sent - before_restart} (sent {sent}, less the {before_restart} the restart reset)")
        if across != sent:
            fail(f"{name}: the last values plus the restarted replica's first life = {across}, expected {sent}")
        if by_instance != state["expected_by_instance"]:
            fail(f"{name}: per instance {by_instance}, expected {state['expected_by_instance']}")
        if abs(exact_median - expected_median) > 1e-9 * expected_median:
            fail(f"{name}: the median of the stored buckets is {exact_median}, the replicas' own buckets give {expected_median}")
        # rate() and increase() extrapolate each series to the window's edges: not at its start (its first sample is
        # a 0), and at its end by at most 1.1 average sample intervals (1 s scrapes; about 1.3 s for replica 3, whose
        # downtime is a gap in its one series). Every series spans the whole run, at least 40 s (two phases of 20 s
        # or more), so each is scaled by a factor in [1, 1 + 1.3 / 40] and the sum stays within 3.5 % above what was
        # sent. The factors of the series are nearly equal (they share the interval and the run), and a common factor
        # leaves a quantile unchanged, so the median of the rates stays within 5 % of the replicas' own estimate.
        if not sent <= increase <= sent * 1.035:
            fail(f"{name}: sum(increase(llm_requests_total[{window}])) = {increase}, outside [{sent}, {sent * 1.035}]")
        if abs(rate_median - expected_median) > 0.05 * expected_median:
            fail(f"{name}: the median of the rates is {rate_median}, more than 5 % from {expected_median}")

    print(json.dumps(figures, indent=2, sort_keys=True))


def docs(doc, files):
    with open(doc) as source:
        text = source.read()
    for path in files:
        with open(path) as source:
            content = source.read()
        if content not in text:
            fail(f"{doc} does not hold {path} word for word; paste it again")
    print(f"{doc} holds {len(files)} configs word for word")


def main(arguments):
    command = arguments[0] if arguments else ""
    if command == "send":
        send(arguments[1], int(arguments[2]))
    elif command == "wait":
        wait(arguments[1], arguments[2], float(arguments[3]), float(arguments[4]) if len(arguments) > 4 else 60)
    elif command == "usage":
        usage(arguments[1], arguments[2])
    elif command == "check":
        check(arguments[1])
    elif command == "docs":
        docs(arguments[1], arguments[2:])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
