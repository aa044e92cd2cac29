"""Steps of tests/fleet/run-fleet.sh: traffic, bounded waits on PromQL, the replicas' own histograms, and the checks.

Standard library, and Debian's python3-protobuf through the test suite's decoder. Every HTTP call and every wait has a deadline; a failed check exits non-zero with what it saw.

  fleet.py send BASE_URL COUNT                          COUNT chat requests, 8 at a time; all must answer 200
  fleet.py wait PROMETHEUS PROMQL VALUE [SECONDS]       until PROMQL returns exactly VALUE (one sample)
  fleet.py usage MANAGEMENT_URL FILE                    the replica's llm_request_duration_seconds: its classic
                                                        buckets from /v1/usage, summed, and its native series from
                                                        the protobuf /metrics, read by an independent decoder
  fleet.py check STATE_FILE                             every assertion on the central and the global server
  fleet.py docs DOC FILE...                             each FILE appears in DOC word for word
"""
import concurrent.futures
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

KEY = "gw-demo-alpha-4f1c9e7a2b"
BODY = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}).encode()
FAMILY = "llm_request_duration_seconds"
PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
DECODER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Metrics.TestSupport", "Protobuf")
# The estimates below repeat Prometheus's arithmetic operation for operation, but its bucket bounds come from a table
# whose entries are a unit or two in the last place off the correctly rounded powers this file computes, and Go may
# fuse a multiply-add on some architectures: the results agree to far better than this, yet not provably to the bit.
RELATIVE_ROUNDING = 1e-12


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
        json.dump({"buckets": sorted(summed.items()), "count": count, "native": native_series(management)}, out)


def native_series(management):
    """The replica's native series of FAMILY as Prometheus scrapes them: its /metrics asked for protobuf first."""
    request = urllib.request.Request(f"{management}/metrics", headers={"Accept": f"{PROTOBUF};q=0.7,text/plain;version=0.0.4;q=0.3"})
    with urllib.request.urlopen(request, timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        body = response.read()
    if not content_type.startswith("application/vnd.google.protobuf"):
        fail(f"{management}/metrics answered {content_type!r} to Prometheus's protobuf Accept header")
    with tempfile.NamedTemporaryFile(suffix=".bin") as data:
        data.write(body)
        data.flush()
        decoded = subprocess.run(
            [sys.executable, os.path.join(DECODER, "decode_metric_families.py"), os.path.join(DECODER, "metrics.proto"), data.name],
            capture_output=True, text=True, timeout=30, check=False)
    if decoded.returncode != 0:
        fail(f"the protobuf decoder failed on {management}/metrics: {decoded.stderr}")
    result = json.loads(decoded.stdout)
    if not result["ok"]:
        fail(f"{management}/metrics is not valid protobuf: {result['error']}")
    family = next((f for f in result["families"] if f["name"] == FAMILY), None)
    if family is None:
        fail(f"{management}/metrics has no {FAMILY} family over protobuf")
    series = []
    for metric in family["metric"]:
        histogram = metric["histogram"]
        if "schema" not in histogram:
            fail(f"{management}/metrics: a {FAMILY} series has no native schema: {metric}")
        series.append({
            "labels": {label["name"]: label["value"] for label in metric.get("label", [])},
            "schema": histogram["schema"],
            "zero_threshold": double(histogram.get("zero_threshold")),
            "zero_count": histogram.get("zero_count", 0),
            "count": histogram.get("sample_count", 0),
            "sum": double(histogram.get("sample_sum")),
            "positive": span_buckets(histogram.get("positive_span", []), histogram.get("positive_delta", [])),
            "negative": span_buckets(histogram.get("negative_span", []), histogram.get("negative_delta", [])),
        })
    return series


def double(bits):
    """A double the decoder printed as the hex of its IEEE 754 bits; absent means proto2's default, 0."""
    return struct.unpack(">d", bytes.fromhex(bits))[0] if bits else 0.0


def span_buckets(spans, deltas):
    """Absolute bucket counts by index: the first span's offset is the first index, later ones the gap from the
    previous span; each count is the previous one plus its delta."""
    counts = []
    index = 0
    value = 0
    position = 0
    for span in spans:
        index += span.get("offset", 0)
        for _ in range(span.get("length", 0)):
            value += deltas[position]
            position += 1
            counts.append([index, value])
            index += 1
    if position != len(deltas):
        fail(f"{len(deltas)} bucket deltas for spans covering {position} buckets")
    return counts


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


def add_native(paths):
    """Every native series of the files added by PromQL's sum rules (FloatHistogram.Add in Prometheus 2.42): the
    result takes the lowest schema, each bucket of a finer one going to index ((i - 1) >> difference) + 1 of it;
    counts, sums and zero buckets add. The replicas share one zero threshold; merging different ones is not needed."""
    series = []
    for path in paths:
        with open(path) as source:
            series += json.load(source)["native"]
    schema = min(s["schema"] for s in series)
    thresholds = {s["zero_threshold"] for s in series}
    if len(thresholds) != 1:
        fail(f"the replicas' native series have different zero thresholds {sorted(thresholds)}")
    total = {"schema": schema, "zero_threshold": thresholds.pop(), "zero_count": 0, "count": 0,
             "sum_terms": [], "positive": {}, "negative": {}}
    for s in series:
        total["zero_count"] += s["zero_count"]
        total["count"] += s["count"]
        total["sum_terms"].append(s["sum"])
        for side in ("positive", "negative"):
            for index, count in s[side]:
                target = ((index - 1) >> (s["schema"] - schema)) + 1
                total[side][target] = total[side].get(target, 0) + count
    return total


def native_bound(index, schema):
    """The upper bound of bucket index at schema (getBound in Prometheus's model/histogram): 2^(index / 2^schema),
    taken as a fraction in [0.5, 1) scaled by a power of two, as Prometheus does."""
    if schema <= 0:
        return math.ldexp(1.0, index << -schema)
    fraction = 2.0 ** ((index & ((1 << schema) - 1)) / (1 << schema)) / 2
    return math.ldexp(fraction, (index >> schema) + 1)


def native_quantile(q, histogram):
    """Prometheus 2.42's histogram_quantile over a native histogram (histogramQuantile in promql/quantile.go): walk
    the negative buckets from the most negative, the zero bucket if it holds anything, then the positive buckets, up
    to the first where the running count reaches q x count, and interpolate linearly inside it."""
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    total = float(histogram["count"])
    if total == 0 or math.isnan(q):
        return math.nan
    schema = histogram["schema"]
    walk = [(-native_bound(i, schema), -native_bound(i - 1, schema), float(c))
            for i, c in sorted(histogram["negative"].items(), reverse=True)]
    if histogram["zero_count"] > 0:
        walk.append((-histogram["zero_threshold"], histogram["zero_threshold"], float(histogram["zero_count"])))
    walk += [(native_bound(i - 1, schema), native_bound(i, schema), float(c)) for i, c in sorted(histogram["positive"].items())]
    rank = q * total
    count = 0.0
    lower = upper = bucket = 0.0
    for lower, upper, bucket in walk:
        count += bucket
        if count >= rank:
            break
    if lower < 0 < upper:
        if not histogram["negative"] and histogram["positive"]:
            lower = 0.0
        elif not histogram["positive"] and histogram["negative"]:
            upper = 0.0
    count = min(count, total)
    if count < rank:
        return upper
    rank -= count - bucket
    return lower + (upper - lower) * (rank / bucket)


def close(actual, expected):
    return abs(actual - expected) <= RELATIVE_ROUNDING * abs(expected)


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
    native = add_native(state["usage_files"])
    if native["count"] != sent:
        fail(f"the replicas' native series hold {native['count']} observations, but {sent} requests were sent")
    native_sum = math.fsum(native["sum_terms"])
    native_expected = {q: native_quantile(q, native) for q in (0.5, 0.99)}
    figures = {"sent": sent, "sent_to_restarted_replica_before_restart": before_restart,
               "expected_median_from_usage": expected_median, "observations": count,
               "native_expected": {"count": native["count"], "sum": native_sum, "schema": native["schema"],
                                   "populated_buckets": sum(1 for side in ("positive", "negative") for c in native[side].values() if c),
                                   "quantiles": {str(q): value for q, value in native_expected.items()}}}

    # The restarted replica's first life, read at the last instant before it was stopped: its maxima are its final values.
    first_life = f'max_over_time(llm_requests_total{{instance="{restarted}"}}[{window}] @ {killed_at})'
    first_life_buckets = f'max_over_time({FAMILY}_bucket{{instance="{restarted}"}}[{window}] @ {killed_at})'
    # Functions over ranges (max_over_time, last_over_time) skip native histograms in 2.42, but an instant selector
    # with @ reads the last sample at or before that instant: the first life's final histogram, as no request came
    # after it was read and before it was stopped.
    native_fleet = f'(sum({FAMILY}) + sum({FAMILY}{{instance="{restarted}"}} @ {killed_at}))'
    for name, prometheus in (("central", state["central"]), ("global", state["global"])):
        last = scalar(prometheus, "sum(llm_requests_total)")
        across = scalar(prometheus, f"sum(llm_requests_total) + scalar(sum({first_life}))")
        increase = scalar(prometheus, f"sum(increase(llm_requests_total[{window}]))")
        by_instance = {metric["instance"]: value for metric, value in query(prometheus, "sum by (instance) (llm_requests_total)")}
        exact_median = scalar(prometheus, f"histogram_quantile(0.5, sum by (le) ({FAMILY}_bucket) + sum by (le) ({first_life_buckets}))")
        rate_median = scalar(prometheus, f"histogram_quantile(0.5, sum by (le) (rate({FAMILY}_bucket[{window}])))")
        native_last = scalar(prometheus, f"histogram_count(sum({FAMILY}))")
        native_count = scalar(prometheus, f"histogram_count{native_fleet}")
        native_total = scalar(prometheus, f"histogram_sum{native_fleet}")
        native_by_instance = {metric["instance"]: value for metric, value in query(prometheus, f"sum by (instance) (histogram_count({FAMILY}))")}
        native_quantiles = {q: scalar(prometheus, f"histogram_quantile({q}, {native_fleet})") for q in native_expected}
        native_increase = scalar(prometheus, f"histogram_count(sum(increase({FAMILY}[{window}])))")
        native_rate_median = scalar(prometheus, f"histogram_quantile(0.5, sum(rate({FAMILY}[{window}])))")
        figures[name] = {"sum_last_values": last, "sum_across_restart": across, "sum_increase": increase,
                         "by_instance": by_instance, "median_exact": exact_median, "median_rate": rate_median,
                         "native": {"count_last_values": native_last, "count_across_restart": native_count,
                                    "sum_across_restart": native_total, "by_instance": native_by_instance,
                                    "quantiles": {str(q): value for q, value in native_quantiles.items()},
                                    "count_increase": native_increase, "median_rate": native_rate_median}}

        # Counts are exact: the counters, and the native histograms that came through the agent's remote write (and
        # the federation) whole. The last values miss what the restart reset; the first life added, all was sent.
        for what, actual, expected in (
            ("sum(llm_requests_total)", last, sent - before_restart),
            ("the last counter values plus the restarted replica's first life", across, sent),
            ("sum by (instance) (llm_requests_total)", by_instance, state["expected_by_instance"]),
            (f"histogram_count(sum({FAMILY}))", native_last, sent - before_restart),
            (f"histogram_count{native_fleet}", native_count, sent),
            (f"sum by (instance) (histogram_count({FAMILY}))", native_by_instance, state["expected_by_instance"]),
        ):
            if actual != expected:
                fail(f"{name}: {what} = {actual}, expected {expected} (sent {sent}, {before_restart} of them before the restart)")
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

        # The native sums are the replicas' own up to the order of the additions, and the quantiles those of the
        # replicas' own buckets summed by PromQL's rules. Each addition of a double rounds by at most half a unit in
        # the last place, so the sums of a few dozen series, added in Prometheus's order and exactly by fsum, agree to
        # far better than RELATIVE_ROUNDING.
        if not close(native_total, native_sum):
            fail(f"{name}: histogram_sum{native_fleet} = {native_total!r}, the replicas' own sums add to {native_sum!r}")
        for q, value in native_quantiles.items():
            if not close(value, native_expected[q]):
                fail(f"{name}: histogram_quantile({q}) over the native histograms = {value!r}, the replicas' own buckets give {native_expected[q]!r}")
        # increase() counts the restart's drop as a reset, as for the counters, but 2.42 does not stop a histogram's
        # extrapolation at its zero point (the check reads the float value, which a histogram sample leaves at 0), so
        # each series also extends by half an average interval at its start: a factor in [1, 1 + 1.6 x 1.3 / 40], and
        # the sum within 5.2 % above what was sent.
        if not sent <= native_increase <= sent * 1.052:
            fail(f"{name}: histogram_count(sum(increase({FAMILY}[{window}]))) = {native_increase}, outside [{sent}, {sent * 1.052}]")
        if abs(native_rate_median - native_expected[0.5]) > 0.05 * native_expected[0.5]:
            fail(f"{name}: the native median of the rates is {native_rate_median}, more than 5 % from {native_expected[0.5]}")

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
