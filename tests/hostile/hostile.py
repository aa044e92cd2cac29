"""Hostile-client driver for run-hostile.sh: slow live clients and a scrape flood against a running gateway.

Exits 1 when a target is missed. Every loop is bounded in count and time, and every connection goes to 127.0.0.1.
Only the standard library is used, so any python3 runs it.
"""
import argparse
import base64
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

# The targets for 500 + 500 clients that read nothing, for 60 s: the server's resident memory, and the whole machine's
# kernel TCP memory, the clients' unread receive queues included (they run on this machine).
RSS_GROWTH_LIMIT_MB = 100
TCP_MEM_GROWTH_LIMIT_PAGES = 32_000
THROUGHPUT_RATIO_TARGET = 0.5
PROMETHEUS_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                     "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--chat-url", required=True, help="base URL of the chat API, such as http://127.0.0.1:5080")
    arguments.add_argument("--metrics-url", action="append", required=True,
                           help="base URL of /metrics and /v1/usage/*; repeatable, the first that serves /metrics is used")
    arguments.add_argument("--pid", type=int, help="the gateway's process id, for its resident memory")
    arguments.add_argument("--slow-clients", type=int, default=500, help="non-reading clients of each kind (SSE, WebSocket)")
    arguments.add_argument("--slow-seconds", type=int, default=60)
    arguments.add_argument("--readers", type=int, default=3, help="1 Hz readers of each kind")
    arguments.add_argument("--flood-seconds", type=int, default=15)
    arguments.add_argument("--scrapers", type=int, default=200)
    arguments.add_argument("--phases", default="slow,flood", help="which phases to run, of slow and flood")
    options = arguments.parse_args()
    for url in [options.chat_url, *options.metrics_url]:
        if not url.startswith("http://127.0.0.1:"):
            sys.exit(f"the hostile run only drives 127.0.0.1, not {url}")

    metrics_url = find_metrics(options.metrics_url)
    print(f"chat API at {options.chat_url}, metrics at {metrics_url}; load before: {load_average()}")
    failures = []
    run_wrk_chat(options.chat_url, 5)
    time.sleep(3)
    phases = options.phases.split(",")
    if "slow" in phases:
        failures += slow_clients(options, metrics_url)
    if "flood" in phases:
        failures += scrape_flood(options, metrics_url)
    print(f"load after: {load_average()}")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("hostile clients: every target met")


# ---- slow live clients ----------------------------------------------------------------------------------------------

def slow_clients(options, metrics_url):
    host, port = address(metrics_url)
    before = Sample.take(options.pid, metrics_url)
    readers = [SseReader(host, port) for _ in range(options.readers)] + [WebSocketReader(host, port) for _ in range(options.readers)]
    started = time.monotonic()
    silent = []
    for kind in ("sse", "ws"):
        for _ in range(options.slow_clients):
            silent.append(open_silent_client(host, port, kind))
    opened = time.monotonic() - started
    expected_drops = 2 * options.slow_clients
    samples = []
    all_dropped_at = None
    while time.monotonic() - started < options.slow_seconds:
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            poll_readers(readers, deadline - time.monotonic())
        sample = Sample.take(options.pid, metrics_url)
        samples.append((time.monotonic() - started, sample))
        if all_dropped_at is None and sample.dropped - before.dropped >= expected_drops:
            all_dropped_at = time.monotonic() - started
    during = [sample for _, sample in samples]
    peak_rss = max(sample.rss_kib for sample in during)
    peak_tcp = max(sample.tcp_pages for sample in during)
    peak_server = max(sample.server_pages for sample in during)
    peak_client = max(sample.client_pages for sample in during)
    end = during[-1]
    readers_alive = [reader for reader in readers if reader.alive]
    reader_messages = [reader.messages for reader in readers]
    for client in silent:
        client.close()
    for reader in readers:
        reader.close()
    time.sleep(3)
    after = Sample.take(options.pid, metrics_url)

    first_drop = next((at for at, sample in samples if sample.dropped > before.dropped), None)
    half_drop = next((at for at, sample in samples if sample.dropped - before.dropped >= expected_drops / 2), None)
    dropped = end.dropped - before.dropped
    print(f"slow clients: {options.slow_clients} SSE + {options.slow_clients} WebSocket that never read, opened in {opened:.1f} s, "
          f"beside {options.readers} + {options.readers} readers at 1 Hz, for {options.slow_seconds} s")
    print(f"  dropped: {dropped:.0f} of {expected_drops} (first after {fmt(first_drop)} s, half after {fmt(half_drop)} s, "
          f"all after {fmt(all_dropped_at)} s); live clients at the end: {end.live:.0f}")
    print(f"  resident memory: {mib(before.rss_kib)} MiB before, {mib(peak_rss)} MiB at peak (+{mib(peak_rss - before.rss_kib)}), "
          f"{mib(end.rss_kib)} MiB at {options.slow_seconds} s, {mib(after.rss_kib)} MiB after they left")
    print(f"  kernel TCP memory: {before.tcp_pages} pages before, {peak_tcp} at peak (+{peak_tcp - before.tcp_pages}), "
          f"{end.tcp_pages} at {options.slow_seconds} s, {after.tcp_pages} after they left")
    print(f"  of which on the server's sockets: {before.server_pages} pages before, {peak_server} at peak, {end.server_pages} at "
          f"{options.slow_seconds} s; on the clients' sockets (their unread receive queues): {before.client_pages}, {peak_client}, {end.client_pages}")
    print(f"  readers: {len(readers_alive)} of {len(readers)} still connected, messages received: {reader_messages}")
    failures = []
    if dropped != expected_drops:
        failures.append(f"{dropped:.0f} slow clients dropped, not {expected_drops}")
    if all_dropped_at is None:
        failures.append(f"not every slow client was dropped within {options.slow_seconds} s")
    if options.pid and (peak_rss - before.rss_kib) / 1024 > RSS_GROWTH_LIMIT_MB:
        failures.append(f"resident memory grew by {mib(peak_rss - before.rss_kib)} MiB, over {RSS_GROWTH_LIMIT_MB} MB")
    # The clients run on this machine, so the kernel's total holds their unread receive queues as well as the server's
    # send queues: both are the server's doing, as it chooses how much to hand a client that reads nothing.
    if peak_tcp - before.tcp_pages > TCP_MEM_GROWTH_LIMIT_PAGES:
        failures.append(f"the machine's kernel TCP memory grew by {peak_tcp - before.tcp_pages} pages, over {TCP_MEM_GROWTH_LIMIT_PAGES} "
                        f"({peak_server - before.server_pages} on the server's sockets, {peak_client - before.client_pages} on the clients')")
    if len(readers_alive) != len(readers):
        failures.append(f"{len(readers) - len(readers_alive)} clients reading at 1 Hz were disconnected")
    if min(reader_messages) < options.slow_seconds // 2:
        failures.append(f"a 1 Hz reader received only {min(reader_messages)} messages in {options.slow_seconds} s")
    return failures


def open_silent_client(host, port, kind):
    """A client that sends its request and then never reads; default socket buffers, as a careless client has."""
    client = socket.create_connection((host, port))
    client.sendall(request(host, port, kind))
    return client


def request(host, port, kind):
    if kind == "sse":
        return f"GET /v1/usage/stream HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET /v1/usage/ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def poll_readers(readers, timeout):
    """Each reader drains its socket once a second; this waits until the next one is due."""
    now = time.monotonic()
    for reader in readers:
        if reader.alive and now >= reader.next_read:
            reader.read()
    time.sleep(max(0.0, min(timeout, 0.05)))


class Reader:
    """A live client that drains its socket once a second, as a slow but attentive client does."""

    def __init__(self, host, port, kind):
        self.socket = socket.create_connection((host, port))
        self.socket.sendall(request(host, port, kind))
        self.socket.setblocking(False)
        self.alive = True
        self.messages = 0
        self.next_read = time.monotonic() + 1

    def read(self):
        self.next_read += 1
        data = drain(self.socket)
        if data is None:
            self.alive = False
            return
        self.received(data)

    def close(self):
        self.socket.close()


class SseReader(Reader):
    """Counts complete events."""

    def __init__(self, host, port):
        super().__init__(host, port, "sse")
        self._tail = b""

    def received(self, data):
        text = self._tail + data
        self.messages += text.count(b"\n\n")
        self._tail = text[-1:]


class WebSocketReader(Reader):
    """Answers the server's pings, as a browser's WebSocket does, and counts text messages."""

    def __init__(self, host, port):
        super().__init__(host, port, "ws")
        self._buffer = b""
        self._upgraded = False

    def received(self, data):
        self._buffer += data
        if not self._upgraded:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self._buffer.startswith(b"HTTP/1.1 101"):
                self.alive = False
                return
            self._upgraded = True
            self._buffer = self._buffer[end + 4:]
        while (frame := self._next_frame()) is not None:
            opcode, final, payload = frame
            if opcode == 0x9:
                self._send(0xA, payload)
            elif opcode == 0x8:
                self.alive = False
            elif final and opcode in (0x0, 0x1):
                self.messages += 1

    def _next_frame(self):
        buffer = self._buffer
        if len(buffer) < 2:
            return None
        final, opcode, length, offset = buffer[0] & 0x80, buffer[0] & 0x0F, buffer[1] & 0x7F, 2
        if length == 126:
            if len(buffer) < 4:
                return None
            length, offset = int.from_bytes(buffer[2:4], "big"), 4
        elif length == 127:
            if len(buffer) < 10:
                return None
            length, offset = int.from_bytes(buffer[2:10], "big"), 10
        if len(buffer) < offset + length:
            return None
        self._buffer = buffer[offset + length:]
        return opcode, final, buffer[offset:offset + length]

    def _send(self, opcode, payload):
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        frame = bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked
        self.socket.setblocking(True)
        self.socket.sendall(frame)
        self.socket.setblocking(False)


def drain(sock):
    """Everything readable now; None once the server closed or reset the connection."""
    chunks = []
    while True:
        try:
            chunk = sock.recv(1 << 20)
        except BlockingIOError:
            return b"".join(chunks)
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)


class Sample:
    def __init__(self, rss_kib, tcp_pages, server_pages, client_pages, live, dropped):
        self.rss_kib, self.tcp_pages, self.live, self.dropped = rss_kib, tcp_pages, live, dropped
        self.server_pages, self.client_pages = server_pages, client_pages

    @staticmethod
    def take(pid, metrics_url):
        values = metric_values(metrics_url, ["metrics_live_clients", "metrics_live_clients_dropped_total"])
        server_pages, client_pages = socket_memory_pages(address(metrics_url)[1])
        return Sample(resident_kib(pid), tcp_memory_pages(), server_pages, client_pages,
                      values["metrics_live_clients"], values["metrics_live_clients_dropped_total"])


# ---- scrape flood ----------------------------------------------------------------------------------------------------

# The two runs alone bracket the flooded one; when they disagree by more than this, something else on the machine took
# the cores meanwhile, and a missed target says nothing about the scrapes: the measurement is taken again.
BASELINE_AGREEMENT = 0.75
FLOOD_ATTEMPTS = 3


def scrape_flood(options, metrics_url):
    for attempt in range(1, FLOOD_ATTEMPTS + 1):
        failures, steady = flood_once(options, metrics_url)
        if steady or not failures:
            return failures
        print(f"  the runs alone disagree by more than {1 - BASELINE_AGREEMENT:.0%}: the machine was busy with something "
              f"else (attempt {attempt} of {FLOOD_ATTEMPTS})")
    return failures


def flood_once(options, metrics_url):
    seconds = options.flood_seconds
    alone = run_wrk_chat(options.chat_url, seconds)
    before = metric_values(metrics_url, ["metrics_scrape_collections_total"])["metrics_scrape_collections_total"]
    scrapers = subprocess.Popen(
        ["wrk", "-t1", f"-c{options.scrapers}", f"-d{seconds}s", "--timeout", "10s", "-s", "tests/hostile/scrape.lua", metrics_url + "/metrics"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    flooded = run_wrk_chat(options.chat_url, seconds)
    scrape_output, _ = scrapers.communicate(timeout=seconds + 60)
    after = metric_values(metrics_url, ["metrics_scrape_collections_total"])["metrics_scrape_collections_total"]
    again = run_wrk_chat(options.chat_url, seconds)
    scrapes = wrk_requests(scrape_output)
    scrape_rate = wrk_rate(scrape_output)
    failed_scrapes = wrk_non_2xx(scrape_output)
    collections = after - before - 1
    baseline = (alone + again) / 2
    ratio = flooded / baseline if baseline else 0
    steady = min(alone, again) >= BASELINE_AGREEMENT * max(alone, again)
    print(f"scrape flood: chat wrk -t2 -c4 for {seconds} s, alone before and after, and beside {options.scrapers} scrapers (wrk -t1)")
    print(f"  chat: {alone:.0f} req/s alone, {flooded:.0f} req/s beside the scrapers, {again:.0f} req/s alone again; "
          f"ratio {ratio:.2f} of the mean alone (target >= {THROUGHPUT_RATIO_TARGET})")
    print(f"  scrapes: {scrapes} ({scrape_rate:.0f}/s, {failed_scrapes} not 2xx), collections: {collections:.0f} "
          f"({collections / max(scrapes, 1):.3f} per scrape, {scrapes / max(collections, 1):.1f} scrapes per collection)")
    failures = []
    if ratio < THROUGHPUT_RATIO_TARGET:
        failures.append(f"chat throughput beside the scrapers is {ratio:.2f} of its rate alone, under {THROUGHPUT_RATIO_TARGET}")
    if failed_scrapes:
        failures.append(f"{failed_scrapes} scrapes did not answer 2xx")
    if scrapes == 0 or collections >= scrapes:
        failures.append(f"{collections:.0f} collections for {scrapes} scrapes: the scrapes shared nothing")
    return failures, steady


def run_wrk_chat(chat_url, seconds):
    output = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "-s", "samples/Gateway/loadtest/chat.lua", chat_url + "/v1/chat/completions"],
        capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    if wrk_non_2xx(output):
        sys.exit(f"chat requests failed under wrk:\n{output}")
    return wrk_rate(output)


def wrk_rate(output):
    match = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    return float(match.group(1)) if match else 0.0


def wrk_requests(output):
    match = re.search(r"(\d+) requests in", output)
    return int(match.group(1)) if match else 0


def wrk_non_2xx(output):
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return int(match.group(1)) if match else 0


# ---- readings --------------------------------------------------------------------------------------------------------

def find_metrics(candidates):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for url in candidates:
            try:
                with urllib.request.urlopen(url + "/metrics", timeout=2) as response:
                    if response.status == 200:
                        return url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.5)
    sys.exit(f"no /metrics answered at {candidates} within 60 s")


def metric_values(metrics_url, names):
    """Sums of the samples of unlabeled (or all) series of each name, from one text-format scrape."""
    with urllib.request.urlopen(metrics_url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    values = {}
    for name in names:
        values[name] = sum(float(match) for match in re.findall(rf"^{re.escape(name)}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE))
    return values


def resident_kib(pid):
    if not pid:
        return 0
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1))


def tcp_memory_pages():
    with open("/proc/net/sockstat") as sockstat:
        return int(re.search(r"TCP:.* mem (\d+)", sockstat.read()).group(1))


def socket_memory_pages(port):
    """Kernel memory of the TCP sockets on the server's port (its side) and of their peers (the clients' side), in
    pages, from ss's skmem: what is allocated to receive and send queues plus what is reserved ahead for them."""
    output = subprocess.run(["ss", "-tmnHa"], capture_output=True, text=True, check=True).stdout
    pages = {"server": 0, "client": 0}
    side = None
    for line in output.splitlines():
        memory = re.search(r"skmem:\(r(\d+),rb\d+,t\d+,tb\d+,f(\d+),w(\d+)", line)
        if memory is None:
            fields = line.split()
            local, peer = (fields[3], fields[4]) if len(fields) >= 5 else ("", "")
            side = "server" if local.endswith(f":{port}") else "client" if peer.endswith(f":{port}") else None
        elif side is not None:
            received, reserved, queued = (int(value) for value in memory.groups())
            pages[side] += (received + reserved + queued) // 4096
    return pages["server"], pages["client"]


def load_average():
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def address(url):
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def mib(kib):
    return f"{kib / 1024:.1f}"


def fmt(seconds):
    return "-" if seconds is None else f"{seconds:.0f}"


if __name__ == "__main__":
    main()
