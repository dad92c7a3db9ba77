#!/usr/bin/env python3
"""show_http.py - 'netlab show' through a plain HTTP client, as curl would see it.

    show_http.py request URL METHOD PATH   one request: the status, each header
                                           as 'Name: value', a blank line, the body
    show_http.py holds URL EXPR            /state.json satisfies EXPR ('s' is
                                           the object, as in json_holds.py)
    show_http.py streams URL N SECONDS     N event streams at once for SECONDS;
                                           prints how many snapshots each got,
                                           and what /state.json said of browsers
                                           meanwhile; exit 1 if a stream broke
    show_http.py log URL FILE              /state.json holds every line of FILE
                                           but its first (show's start line),
                                           in order, numbered from 0
    show_http.py messages URL N            the first N messages of one event
                                           stream: 'FIRST COUNT' of each one's
                                           lines (events_first, how many)
    show_http.py vanish URL                streams that go away: one reset after
                                           a snapshot, one closed mid-snapshot,
                                           one that stops reading; prints the
                                           browsers /state.json counts after
Host and port come from URL (http://127.0.0.1:PORT/).
"""
import http.client
import json
import os
import socket
import struct
import sys
import time
import urllib.parse

SLOW = float(os.environ.get("NETLAB_SLOW", "1"))


def address(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port


def request(url, method, path):
    host, port = address(url)
    conn = http.client.HTTPConnection(host, port, timeout=10 * SLOW)
    conn.request(method, path)
    r = conn.getresponse()
    body = r.read() if path != "/events" or method == "HEAD" else r.read(200)
    print(r.status)
    for name, value in r.getheaders():
        print("%s: %s" % (name, value))
    print()
    sys.stdout.write(body.decode("utf-8", "replace"))
    conn.close()


def state(url):
    host, port = address(url)
    conn = http.client.HTTPConnection(host, port, timeout=10 * SLOW)
    conn.request("GET", "/state.json")
    s = json.loads(conn.getresponse().read())
    conn.close()
    return s


def holds(url, expr):
    s = state(url)
    names = {"__builtins__": {}, "s": s, "len": len, "set": set, "sorted": sorted,
             "all": all, "any": any}
    ok = eval("(" + expr + "\n)", names)
    if not ok:
        print(json.dumps(s)[:3000], file=sys.stderr)
    return 0 if ok else 1


def log(url, path):
    with open(path, encoding="utf-8") as f:
        want = f.read().splitlines()[1:]
    s = state(url)
    got = [(e["actor"] + " " if e["actor"] is not None else "") + e["text"] for e in s["events"]]
    if got != want or s["events_first"] != 0 or s["events_dropped"] != 0:
        print("state.json: %d lines from %d (%d dropped), the log %d" % (
            len(got), s["events_first"], s["events_dropped"], len(want)), file=sys.stderr)
        return 1
    return 0


def messages(url, n):
    sock, pending = open_stream(url, b"1.0")  # not chunked: the messages as they are
    sock.settimeout(10 * SLOW)
    while pending.count(b"\n\n") < n:
        data = sock.recv(1 << 20)
        if not data:
            raise OSError("the stream ended")
        pending += data
    sock.close()
    for message in pending.split(b"\n\n")[:n]:
        m = json.loads(message[len(b"data: "):])
        print(m["events_first"], len(m["events"]))
    return 0


def open_stream(url, version=b"1.1"):
    """A browser's EventSource, by hand: the request, then the headers read."""
    host, port = address(url)
    s = socket.create_connection((host, port), timeout=10 * SLOW)
    s.sendall(b"GET /events HTTP/" + version + b"\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("closed before the headers")
        head += chunk
    headers, rest = head.split(b"\r\n\r\n", 1)
    if b" 200 " not in headers.split(b"\r\n")[0] or b"text/event-stream" not in headers:
        raise OSError("not an event stream: %r" % headers[:200])
    return s, rest


def streams(url, n, seconds):
    socks = [open_stream(url) for _ in range(n)]
    counts, pending = [0] * n, [rest for _, rest in socks]
    deadline = time.monotonic() + seconds
    seen_browsers = None
    for i, (s, _) in enumerate(socks):
        s.setblocking(False)
    while time.monotonic() < deadline:
        if seen_browsers is None and deadline - time.monotonic() < seconds / 2:
            seen_browsers = state(url)["show"]["browsers"]  # half way: every stream counted
        for i, (s, _) in enumerate(socks):
            try:
                data = s.recv(1 << 20)
            except BlockingIOError:
                continue
            if not data:
                print("stream %d closed" % i, file=sys.stderr)
                return 1
            # A snapshot ends with a blank line; the last byte is kept, in case
            # the blank line comes in two pieces.
            pending[i] = pending[i][-1:] + data
            counts[i] += pending[i].count(b"\n\n")
            pending[i] = pending[i][-1:] if not pending[i].endswith(b"\n\n") else b""
        time.sleep(0.02)
    for s, _ in socks:
        s.close()
    print("browsers %d" % seen_browsers)
    print("snapshots " + " ".join(str(c) for c in counts))
    return 0


def vanish(url):
    reset, _ = open_stream(url)
    reset.recv(100)
    # SO_LINGER 0: close() sends a reset, as a browser killed or unplugged does.
    reset.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    reset.close()
    mid, _ = open_stream(url)
    mid.recv(10)		# a few bytes of a snapshot, then gone
    mid.close()
    stalled, _ = open_stream(url)	# never reads again
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # /state.json is the latest snapshot, taken up to a tick ago: count only
    # snapshots taken after this one, which the stalled stream was open for.
    after = state(url)["t"]
    deadline = time.monotonic() + 10 * SLOW
    while True:
        s = state(url)
        if s["t"] > after and s["show"]["browsers"] <= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    # Two ticks more: the stalled one, filling its buffers, is not dropped.
    end = s["t"] + 0.5
    while s["t"] < end and time.monotonic() < deadline + 5 * SLOW:
        time.sleep(0.05)
        s = state(url)
    print("browsers %d" % s["show"]["browsers"])
    stalled.close()
    return 0


def main():
    what, url = sys.argv[1], sys.argv[2]
    if what == "request":
        request(url, sys.argv[3], sys.argv[4])
        return 0
    if what == "holds":
        return holds(url, sys.argv[3])
    if what == "streams":
        return streams(url, int(sys.argv[3]), float(sys.argv[4]))
    if what == "log":
        return log(url, sys.argv[3])
    if what == "messages":
        return messages(url, int(sys.argv[3]))
    if what == "vanish":
        return vanish(url)
    print("unknown: " + what, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
