"""spread.py NETLAB LOOPS CLIENTS [--slow MS] [it]: what lab 15 measures.

Starts 'NETLAB reuseport LOOPS' on a free port, its log in a temporary
file, and reads from the log which loop accepted each client ("[loop K]
Received new connection from ...").

Without --slow: CLIENTS clients connect, say a line and wait for its echo;
prints how many each loop accepted.

With --slow MS: the server runs with --delay MS, and one client (the
talker) keeps one loop busy, sending a line again as soon as the last one
is answered. Then CLIENTS newcomers arrive one after another, each timing
its answer; prints, per loop, how many newcomers it got and how long they
waited, and last how many the kernel gave the talker's loop all the same.
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

NETLAB, LOOPS, CLIENTS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SLOW = int(sys.argv[sys.argv.index("--slow") + 1]) if "--slow" in sys.argv else 0
IT = sys.argv[-1] == "it"
WORDS = {
    "accepted": ("loop {}: {} clients", "loop {}: {} client"),
    "even": ("{} clients over {} loops: {} each would be even; the kernel hashed them "
             "as above", "{} client su {} loop: {} ciascuno sarebbe la parità; il kernel "
             "li ha distribuiti come sopra con un hash"),
    "talker": ("the talker is served by loop {}", "il chiacchierone è servito dal loop {}"),
    "waited": ("loop {}{}: {} newcomers, median wait {} ms",
               "loop {}{}: {} nuovi arrivati, attesa mediana {} ms"),
    "busy": (" (the talker's)", " (quello del chiacchierone)"),
    "anyway": ("newcomers the kernel gave the talker's loop all the same: {}",
               "nuovi arrivati che il kernel ha dato comunque al loop del chiacchierone: {}"),
}


def say(key, *args):
    print(WORDS[key][IT].format(*args), flush=True)


def start(log):
    argv = [NETLAB, "reuseport", str(LOOPS), "--port", "0", "--no-color", "-q"]
    if SLOW:
        argv += ["--delay", str(SLOW)]
    proc = subprocess.Popen(argv, stdout=open(log, "w"), stderr=subprocess.DEVNULL)
    for _ in range(200):
        m = re.search(r"port (\d+)", open(log).read())
        if m:
            return proc, int(m.group(1))
        time.sleep(0.05)
    proc.kill()
    sys.exit("the server did not start")


def loop_of(log, sock):
    """The K of the loop that logged this client's arrival (waits for it)."""
    port = sock.getsockname()[1]
    pattern = re.compile(r"^\[loop (\d+)\] Received new connection from  \('[^']*', %d\)"
                         % port, re.M)
    for _ in range(200):
        m = pattern.search(open(log).read())
        if m:
            return int(m.group(1))
        time.sleep(0.01)
    return 0


def ask(port, line=b"hello\n"):
    """A new client: says a line, waits for the echo; (socket, ms waited)."""
    s = socket.create_connection(("127.0.0.1", port))
    t0 = time.monotonic()
    s.sendall(line)
    got = b""
    while not got.endswith(b"\n"):
        got += s.recv(1024)
    return s, (time.monotonic() - t0) * 1000


def talk(port, stop, ready):
    s = socket.create_connection(("127.0.0.1", port))
    ready.append(s)
    while not stop.is_set():
        s.sendall(b"talk\n")
        s.recv(1024)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log")
        proc, port = start(log)
        try:
            if SLOW:
                slow_loop(log, port)
            else:
                spread(log, port)
        finally:
            proc.terminate()
            proc.wait(10)


def spread(log, port):
    socks = [ask(port)[0] for _ in range(CLIENTS)]
    counts = [0] * LOOPS
    for s in socks:
        counts[loop_of(log, s) - 1] += 1
        s.close()
    for k, n in enumerate(counts):
        say("accepted", k + 1, n)
    say("even", CLIENTS, LOOPS, CLIENTS // LOOPS)


def slow_loop(log, port):
    stop, ready = threading.Event(), []
    talker = threading.Thread(target=talk, args=(port, stop, ready), daemon=True)
    talker.start()
    while not ready:
        time.sleep(0.01)
    busy = loop_of(log, ready[0])
    say("talker", busy)
    waits = {k: [] for k in range(1, LOOPS + 1)}
    for _ in range(CLIENTS):
        s, ms = ask(port)
        waits[loop_of(log, s)].append(ms)
        s.close()
    stop.set()
    for k, w in waits.items():
        say("waited", k, WORDS["busy"][IT] if k == busy else "", len(w),
            round(statistics.median(w)) if w else "-")
    say("anyway", len(waits[busy]))


main()
