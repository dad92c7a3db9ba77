#!/usr/bin/env python3
"""make bench: how fast netlab's servers are, as ratios to a reference.

Every design runs at -qq and is driven by 'netlab bench', which compares
every byte of every answer with what it sent: a message counts only when
its answer came back whole and right. Before and after each run of a
design, the reference (echo_ref, a minimal epoll echo server) runs under
the same load, and the design's figure is divided by their mean: the
ratio is what is kept, since the machine's speed varies from minute to
minute but runs side by side see the same machine. Three runs, the median
of the per-run ratios.

Two placements, each measured in full and quoted side by side:
  pinned  the load generator on core 0, the server on core 1 (taskset):
          what the designs cost when nothing else competes for their core
  free    no pinning, as a student's machine runs it: the scheduler may
          put the server's threads on the load generator's core, and every
          hand-off between threads may cross cores

  W2:  100 clients x 500 messages x 64 bytes
  W3:  1,000 clients x 50 messages x 64 bytes
  W2L: 100 clients x 100 messages x 4,000 bytes (an answer in four
       1024-byte pieces: without TCP_NODELAY each would wait ~40 ms)
       Each design is also run between two runs of echo_ref 1024, a
       tighter loop that keeps the designs' rule (1024 bytes a recv(), as
       the spec's Safety line has every design do): the column W2L/1024,
       what a design costs apart from what the rule costs any server
  W4:  10,000 idle connections: how many held, refused, closed; a new
       client's wait; then each held one pinged, and its answer checked

reuseport 2 is held to epoll side by side: the two run one right after the
other, seven times, in each placement, and the median of the pairs' ratios
is judged (two ratios to the reference, each with its own noise, cannot
tell a few per cent apart).

A refusal ("netlab: server full") is counted as a refusal, never as an
answer, and reported. Also: the time from start to the listening line,
what the full log costs (to a file, against -qq), 'netlab bench' against
a minimal ping-pong client on the reference, and compare's level groups
five times in a row each way: at its default load, quiet and beside a
second job (a process spinning on a core), and at 100 clients x 500
messages. One table per placement, then a verdict per target.
Every server is stopped on the way out, also after Ctrl-C.

usage: run.py NETLAB ECHO_REF PINGPONG [w4 [DESIGN...]]
"""
import json
import os
import resource
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

NETLAB, REF, PINGPONG = (os.path.abspath(p) for p in sys.argv[1:4])
DESIGNS = ["epoll", "poll", "select", "uring", "reuseport 2", "pool", "threaded",
           "limited 1024", "fork", "sequential"]
LOOPS = ["epoll", "poll", "select"]
W4_DESIGNS = ["epoll", "poll", "uring", "threaded", "fork", "pool"]
LOADS = {"W2": (100, 500, 64), "W3": (1000, 50, 64), "W2L": (100, 100, 4000)}
RUNS = 3
COMPARE_RUNS = 5
TWO_CORES = (os.cpu_count() or 1) >= 2
PLACEMENTS = {"pinned": (["taskset", "-c", "0"], ["taskset", "-c", "1"]) if TWO_CORES
              else ([], []),
              "free": ([], [])}
REFUSAL = b"netlab: server full"
running = []  # every server started and not yet stopped
med = statistics.median


def note(text):
    print(text, file=sys.stderr, flush=True)


def start(argv, server_cpu=(), log=None):
    """Start a server in its own process group; return (process, port).

    Its start line is read from a pipe, or from the file 'log' when the
    full log goes there."""
    began = time.monotonic()
    out = open(log, "w") if log else subprocess.PIPE
    proc = subprocess.Popen(list(server_cpu) + argv, stdout=out, start_new_session=True)
    running.append(proc)
    deadline = began + 10
    while time.monotonic() < deadline:
        if log:
            with open(log) as f:
                line = f.readline()
        else:
            line = proc.stdout.readline().decode()
        if "Starting server on" in line and line.endswith("\n"):
            proc.started_ms = (time.monotonic() - began) * 1000
            return proc, int(line.rsplit("port", 1)[1].split()[0])
        if proc.poll() is not None:
            break
        time.sleep(0.001)
    stop(proc)
    raise RuntimeError("%s did not start" % " ".join(argv))


def stop(proc):
    """SIGTERM, as Ctrl-C would; SIGKILL to its whole group if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if proc.stdout:
        proc.stdout.close()
    if proc in running:
        running.remove(proc)


def netlab_server(design, server_cpu=(), quiet="-qq", log=None):
    return start([NETLAB] + design.split() + [quiet, "-H", "127.0.0.1", "-p", "0",
                                              "--no-color"], server_cpu, log)


def bench(port, load, load_cpu=()):
    """netlab bench --json: every answer's bytes compared with what was sent."""
    clients, messages, size = load
    out = subprocess.run(list(load_cpu) + [
        NETLAB, "bench", "-H", "127.0.0.1", "-p", str(port), "-c", str(clients),
        "-n", str(messages), "-s", str(size), "--timeout", "120", "--json"],
        stdout=subprocess.PIPE, check=False)
    return json.loads(out.stdout)


def measure(design, load, placement, ref=("0",)):
    """One bench run against a design (None: the reference, echo_ref with
    the arguments ref)."""
    load_cpu, server_cpu = PLACEMENTS[placement]
    proc, port = start([REF] + list(ref), server_cpu) if design is None else \
        netlab_server(design, server_cpu)
    try:
        return bench(port, load, load_cpu)
    finally:
        stop(proc)


class Figures:
    """One design under one load: every run's ratio, speed, p50 and errors."""

    def __init__(self):
        self.ratios, self.speed, self.p50 = [], [], []
        self.errors, self.refused, self.answered, self.runs = {}, 0, 0, 0

    def add(self, result, ratio=None):
        self.speed.append(result["msgs_per_sec"])
        self.p50.append(result["p50_ms"])
        if ratio is not None:
            self.ratios.append(ratio)
        for kind, n in result["errors_by_kind"].items():
            self.errors[kind] = self.errors.get(kind, 0) + n
        self.refused += result.get("refused", 0)
        self.answered += result["messages"]
        self.runs += 1

    def all_served(self, load):
        """Every message of every run answered with the right bytes."""
        clients, messages, _ = load
        return self.answered == self.runs * clients * messages

    def problems(self):
        bad = {k: n for k, n in self.errors.items() if n}
        if not bad:
            return ""
        text = ", ".join("%s %d" % kv for kv in sorted(bad.items()))
        if self.refused:
            text += " (%d refused: 'server full')" % self.refused
        return text


def chain(figures, load, placement, label, ref=("0",), refs=None):
    """One run of every design, each between two runs of echo_ref (started
    with the arguments ref) and divided by their mean, into figures[design];
    every reference run also into refs, when given. Returns the last
    reference run."""
    before = measure(None, load, placement, ref)
    for d in DESIGNS:
        note("%s: %s between two runs of %s" % (label, d, " ".join(["echo_ref"] + list(ref[1:]))))
        m = measure(d, load, placement)
        after = measure(None, load, placement, ref)
        mean = (before["msgs_per_sec"] + after["msgs_per_sec"]) / 2
        figures[d].add(m, m["msgs_per_sec"] / mean if mean else 0)
        if refs is not None:
            refs.add(before, 1.0)
        before = after
    if refs is not None:
        refs.add(before, 1.0)
    return before


def throughput(placement):
    """figures[design][W]: the reference runs before the first design and
    after each one, so that every design sits between two runs of the
    reference, and is divided by their mean."""
    figures = {d: {w: Figures() for w in LOADS} for d in DESIGNS + ["reference"]}
    for run in range(RUNS):
        for w, load in LOADS.items():
            chain({d: figures[d][w] for d in DESIGNS}, load, placement,
                  "%s, run %d/%d, %s" % (placement, run + 1, RUNS, w),
                  refs=figures["reference"][w])
    return figures


# echo_ref as a tighter loop (no epoll_ctl() per answer) keeping the designs'
# rule: 1024 bytes a recv(), each piece sent back as it comes (MSG_MORE while
# more waits), as the spec's Safety line has every design do; and the same
# tight loop reading 16 KiB, to tell what the rule alone costs.
RULE_REF = ("0", "1024")
TIGHT_REF = ("0", "16384")


def rule_chain(placement):
    """W2L again, each design between two runs of echo_ref 1024: what a
    design costs apart from what the 1024-byte rule costs any server. And
    the rule's own cost: echo_ref 1024 divided by echo_ref 16384, the same
    tight loop, run right after."""
    load = LOADS["W2L"]
    figures = {d: Figures() for d in DESIGNS + ["reference 1024"]}
    for run in range(RUNS):
        last = chain(figures, load, placement, "%s, run %d/%d, W2L" % (placement, run + 1, RUNS),
                     RULE_REF)
        full = measure(None, load, placement, TIGHT_REF)
        figures["reference 1024"].add(last, last["msgs_per_sec"] / full["msgs_per_sec"]
                                      if full["msgs_per_sec"] else 0)
    return figures


def family(pid):
    """The pid and all its descendants, from /proc/PID/task/*/children."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def memory_kib(pid):
    """Proportional set size of the server and its children: a page shared by
    N processes counts 1/N in each, so the sum is what they cost together."""
    total = 0
    for p in family(pid):
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def w4(design, n=10000):
    """n idle connections; what became of each (held, refused, closed); a
    new client's wait (the median of five); then every held one pinged
    with a message of its own, and its answer compared byte by byte."""
    proc, port = netlab_server(design, PLACEMENTS["pinned"][1])
    socks = []
    try:
        for _ in range(n):
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        accepted_all(port)
        time.sleep(1)  # a server that drops or refuses connections has done so
        fate = [what_became(s) for s in socks]
        held = [s for s, f in zip(socks, fate) if f == "held"]
        waits = [probe(port) for _ in range(5)]
        answered, wrong = ping_all(held)
        return {"held": len(held), "refused": fate.count("refused"),
                "closed": fate.count("closed"), "other": fate.count("other"),
                "wait_ms": med(waits) if None not in waits else None,
                "answered": answered, "wrong": wrong, "mib": memory_kib(proc.pid) / 1024}
    except OSError as e:
        return {"held": 0, "refused": 0, "closed": 0, "other": 0, "wait_ms": None,
                "answered": 0, "wrong": 0, "mib": 0, "connected": len(socks),
                "error": str(e)}
    finally:
        for s in socks:
            s.close()
        stop(proc)


def what_became(s):
    """held (open, nothing said), refused (a 'server full' line), closed, other."""
    s.setblocking(False)
    try:
        data = s.recv(256, socket.MSG_PEEK)
    except BlockingIOError:
        return "held"
    except OSError:
        return "closed"
    if data == b"":
        return "closed"
    return "refused" if data.startswith(REFUSAL) else "other"


def probe(port):
    """How long a new client waits for its first answer, in ms; None when the
    answer is not the bytes sent (a refusal, say)."""
    message = b"probe-%d-" % port + b"p" * 50
    t0 = time.monotonic()
    got = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(message)
            while len(got) < len(message):
                data = s.recv(len(message) - len(got))
                if not data:
                    break
                got += data
    except OSError:  # not answered within 5 s: pool's queue, all workers held
        return None
    return (time.monotonic() - t0) * 1000 if got == message else None


def accepted_all(port, deadline_s=60):
    """Until the listening socket's queue is empty: the server has called
    accept() for every connection (ss shows the queue as Recv-Q)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        out = subprocess.run(["ss", "-Hltn", "sport = :%d" % port], stdout=subprocess.PIPE,
                             check=False).stdout.split()
        if out and out[1] == b"0":
            return
        time.sleep(0.1)


def ping_all(socks, deadline_s=30, quiet_s=5):
    """Send each socket its own 64 bytes; count the answers that are exactly
    those bytes, and the ones that are not. Gives up once nothing has
    arrived for quiet_s (a pool's queued clients never hear back)."""
    sel = selectors.DefaultSelector()
    want, got = {}, {}
    for i, s in enumerate(socks):
        message = (b"w4 client %08d " % i).ljust(64, b"w")
        try:
            s.send(message)
            sel.register(s, selectors.EVENT_READ)
            want[s], got[s] = message, b""
        except OSError:
            pass
    answered = wrong = 0
    deadline = time.monotonic() + deadline_s
    last = time.monotonic()
    while want and time.monotonic() < deadline and time.monotonic() - last < quiet_s:
        for key, _ in sel.select(1):
            s = key.fileobj
            try:
                data = s.recv(64 - len(got[s]))
            except OSError:
                data = b""
            last = time.monotonic()
            got[s] += data
            if data and len(got[s]) < 64:
                continue
            if got[s] == want[s]:
                answered += 1
            else:
                wrong += 1
            sel.unregister(s)
            del want[s]
    return answered, wrong


def start_times():
    times = {}
    for d in DESIGNS:
        samples = []
        for _ in range(5):
            proc, _ = netlab_server(d, PLACEMENTS["pinned"][1])
            samples.append(proc.started_ms)
            stop(proc)
        times[d] = med(samples)
    return times


def log_cost(design):
    """The full log to a file against -qq, W2's 100 clients: msgs/s ratio."""
    ratios = []
    load_cpu, server_cpu = PLACEMENTS["pinned"]
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):
            quiet = measure(design, LOADS["W2"], "pinned")["msgs_per_sec"]
            proc, port = netlab_server(design, server_cpu, "--no-color", tmp + "/full.log")
            try:
                full = bench(port, LOADS["W2"], load_cpu)["msgs_per_sec"]
            finally:
                stop(proc)
            ratios.append(quiet / full if full else float("inf"))
    return med(ratios)


def bench_vs_pingpong(runs=5):
    """netlab bench against pingpong on the reference, W2, taking turns at
    going first: the median of the per-run ratios. Both check every byte."""
    ratios = []
    c, m, s = LOADS["W2"]
    load_cpu, server_cpu = PLACEMENTS["pinned"]
    for run in range(runs):
        proc, port = start([REF, "0"], server_cpu)
        try:
            for ours_first in ([True, False] if run % 2 else [False, True]):
                if ours_first:
                    ours = bench(port, LOADS["W2"], load_cpu)["msgs_per_sec"]
                else:
                    pp = float(subprocess.run(load_cpu + [PINGPONG, str(port), str(c), str(m),
                                                          str(s)],
                                              stdout=subprocess.PIPE, check=True).stdout)
        finally:
            stop(proc)
        ratios.append(ours / pp)
    return med(ratios)


PAIR_RUNS = 7


def head_to_head(a, b, load, placement):
    """b against a, the two run one right after the other PAIR_RUNS times:
    the median of b's speed over a's in each pair, and whether every
    message of b's runs was answered right. A two-design target is met
    side by side, not through two separate ratios to the reference."""
    ratios, answered = [], 0
    for _ in range(PAIR_RUNS):
        first, second = measure(a, load, placement), measure(b, load, placement)
        ratios.append(second["msgs_per_sec"] / first["msgs_per_sec"]
                      if first["msgs_per_sec"] else 0)
        answered += second["messages"]
    clients, messages, _ = load
    return med(ratios), sorted(ratios), answered == PAIR_RUNS * clients * messages


def kinds():
    """Each design's kind, as netlab --list-designs says it."""
    out = subprocess.run([NETLAB, "--list-designs"], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    return dict(line.split() for line in out.splitlines())


def spinner():
    """A second job: one process that keeps a core busy, as a build or a
    browser tab does on a student's machine: unpinned, at the usual priority."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
    running.append(proc)
    return proc


# compare's level groups, three ways: (what, compare's extra arguments, with a second job)
GROUP_RUNS = [("default load, quiet", [], False),
              ("default load, beside a second job", [], True),
              ("100 clients x 500 messages, quiet", ["-c", "100", "-n", "500"], False)]


def compare_groups():
    """compare COMPARE_RUNS times each way of GROUP_RUNS: the tiers each run
    drew, how many runs drew the three groups (every event loop above every
    blocking design, sequential blocked in every round), and how many drew
    the same tiers as the most common run."""
    kind = kinds()
    loops = [d for d, k in kind.items() if k.startswith("event-loop")]
    blocking = [d for d, k in kind.items() if k in ("threads", "processes")]
    results = []
    for what, extra, busy in GROUP_RUNS:
        hog = spinner() if busy else None
        lines, three = [], 0
        for _ in range(COMPARE_RUNS):
            out = subprocess.run([NETLAB, "compare", "--json"] + extra,
                                 stdout=subprocess.PIPE, check=False)
            rows = {r["design"]: r for r in json.loads(out.stdout)}
            ok = (max(rows[d]["tier"] for d in loops) < min(rows[d]["tier"] for d in blocking)
                  and rows["sequential"]["blocked_rounds"] == rows["sequential"]["rounds"])
            lines.append(speed_line(rows))
            note("  compare, %s: %s%s" % (what, lines[-1], "" if ok else
                                          "  (not the three groups)"))
            three += ok
        if hog is not None:
            stop(hog)
        parts = [tiers_of(x) for x in lines]
        same = max(parts.count(x) for x in parts) if parts else 0
        results.append((what, three, same))
    return results


def tiers_of(line):
    """A speed line's tiers, each as a set: the order inside a tier means nothing."""
    return [frozenset(t.split(" \u2248 ")) for t in line.split(" > ")]


def speed_line(rows):
    """'epoll ≈ poll ≈ select > ...' from compare's JSON, as its summary says it."""
    order = sorted(rows.values(), key=lambda r: (r["tier"], -r["msgs_per_sec"]))
    text = ""
    for i, r in enumerate(order):
        if i:
            text += " \u2248 " if r["tier"] == order[i - 1]["tier"] else " > "
        text += r["design"]
    return text


def syscalls_per_message(design, clients=100, messages=100):
    """strace -c -f on the server under a W2-like load: every system call it
    made (its start and end included), divided by the messages answered."""
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start(["strace", "-f", "-c", "-o", tmp + "/calls", NETLAB] +
                           design.split() + ["-qq", "-H", "127.0.0.1", "-p", "0", "--no-color"])
        try:
            answered = bench(port, (clients, messages, 64))["messages"]
        finally:
            for server in family(proc.pid)[1:]:  # the server, not strace: it ends strace
                os.kill(server, signal.SIGTERM)
            proc.wait(10)
            stop(proc)
        with open(tmp + "/calls") as f:
            total = [int(line.split()[3]) for line in f if line.rstrip().endswith(" total")]
    return total[0] / answered if total and answered else float("nan")


def loop_spread(design="reuseport 2", clients=100):
    """The clients each loop accepted ([loop K] lines at -q), W2's 100 clients."""
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = netlab_server(design, quiet="-q", log=tmp + "/log")
        try:
            bench(port, (clients, 10, 64))
        finally:
            stop(proc)
        with open(tmp + "/log") as f:
            for line in f:
                if "] Received new connection from" in line and line.startswith("[loop "):
                    k = int(line[6:line.index("]")])
                    counts[k] = counts.get(k, 0) + 1
    return [counts.get(k, 0) for k in sorted(counts)]


def verdict(ok, text):
    print("%s  %s" % ("PASS" if ok else "FAIL", text))


def print_table(placement, figures, rule, starts):
    load_cpu, _ = PLACEMENTS[placement]
    print("\n%s: every design at -qq, driven by netlab bench%s; ratio = design / echo_ref "
          "run before and after it, median of %d runs; msgs/s and p50 are medians too;\n"
          "W2L/1024: W2L against echo_ref 1024, a tight loop keeping the designs' rule (1024 "
          "bytes a recv())"
          % (placement, " on core 0, servers on core 1" if load_cpu else ", no pinning", RUNS))
    print("%-13s %6s %6s %6s %8s %9s %9s %9s %8s %9s  %s" % (
        "design", "W2", "W3", "W2L", "W2L/1024", "W2 msg/s", "W3 msg/s", "W2L msg/s",
        "W2L p50", "start ms", "errors (W2, W3, W2L)"))
    for d in DESIGNS + ["reference"]:
        f = figures[d]
        errors = "; ".join("%s: %s" % (w, f[w].problems()) for w in LOADS if f[w].problems())
        if d in rule and rule[d].problems():
            errors += "; W2L/1024: " + rule[d].problems()
        print("%-13s %6.2f %6.2f %6.2f %8s %9.0f %9.0f %9.0f %7.2fms %9s  %s" % (
            d, med(f["W2"].ratios), med(f["W3"].ratios), med(f["W2L"].ratios),
            "%.2f" % med(rule[d].ratios) if d in rule else "", med(f["W2"].speed),
            med(f["W3"].speed), med(f["W2L"].speed), med(f["W2L"].p50),
            "%.1f" % starts[d] if d in starts else "", errors))


def print_w4(w4s):
    print("\nW4: 10,000 idle connections (pinned server); answers compared byte by byte")
    for d, w in w4s.items():
        print("%-9s held %5d, refused %5d, closed %5d, other %d; answered %5d, wrong %d; "
              "new client %s; %.1f MiB%s" % (
                  d, w["held"], w["refused"], w["closed"], w["other"], w["answered"],
                  w["wrong"], "%.2f ms" % w["wait_ms"] if w["wait_ms"] is not None else "-",
                  w["mib"], "  (%s)" % w["error"] if "error" in w else ""))


def ratio(figures, d, w):
    return med(figures[d][w].ratios)


def targets(placement, figures, rule, pairs):
    """The verdicts that hold a placement to the targets."""
    p = placement
    verdict(all(ratio(figures, d, w) >= 0.95 and figures[d][w].all_served(LOADS[w])
                for d in LOOPS for w in ("W2", "W3")),
            "%s: epoll, poll, select >= 0.95 at W2 and W3, every answer right: %s" % (
                p, ", ".join("%s %.2f/%.2f" % (d, ratio(figures, d, "W2"),
                                               ratio(figures, d, "W3")) for d in LOOPS)))
    verdict(all(ratio(figures, d, "W2") >= 0.60 and figures[d]["W2"].all_served(LOADS["W2"])
                for d in ("threaded", "pool")),
            "%s: threaded, pool >= 0.60 at W2: threaded %.2f, pool %.2f" % (
                p, ratio(figures, "threaded", "W2"), ratio(figures, "pool", "W2")))
    fork = figures["fork"]["W3"]
    verdict(ratio(figures, "fork", "W3") >= 0.30 and fork.all_served(LOADS["W3"]),
            "%s: fork >= 0.30 at W3 with all 1,000 clients served: %.2f, %d of %d messages "
            "answered right%s" % (p, ratio(figures, "fork", "W3"), fork.answered,
                                  fork.runs * 50000, ", " + fork.problems()
                                  if fork.problems() else ""))
    pool = figures["pool"]["W3"]
    verdict(pool.all_served(LOADS["W3"]),
            "%s: pool serves all 1,000 clients of W3 (queued): %d of %d messages answered "
            "right%s" % (p, pool.answered, pool.runs * 50000,
                         ", " + pool.problems() if pool.problems() else ""))
    verdict(all(ratio(figures, "uring", w) >= 1.10 and figures["uring"][w].all_served(LOADS[w])
                for w in ("W2", "W3")),
            "%s: uring >= 1.10 at W2 and W3, every answer right: %.2f/%.2f (epoll %.2f/%.2f)" % (
                p, ratio(figures, "uring", "W2"), ratio(figures, "uring", "W3"),
                ratio(figures, "epoll", "W2"), ratio(figures, "epoll", "W3")))
    rp, runs, right = pairs[p]
    verdict(rp >= 0.95 and right,
            "%s: reuseport 2 >= 0.95 of epoll at W2, side by side, median of %d pairs: %.2f "
            "(each pair: %s)%s" % (p, PAIR_RUNS, rp, " ".join("%.2f" % r for r in runs),
                                   "" if right else ", some answers wrong or missing"))
    w2l = [d for d in DESIGNS if d != "sequential"]
    verdict(all(ratio(figures, d, "W2L") >= 0.5 and med(figures[d]["W2L"].p50) < 5 and
                figures[d]["W2L"].all_served(LOADS["W2L"]) for d in w2l),
            "%s: W2L (4,000-byte messages): every design but sequential >= 0.5, p50 < 5 ms: "
            % p + ", ".join("%s %.2f/%.1fms" % (d, ratio(figures, d, "W2L"),
                                                 med(figures[d]["W2L"].p50)) for d in w2l))
    print("INFO  %s: W2L against echo_ref 1024, a tight loop that keeps the designs' rule "
          "(1024 bytes a recv()), every answer right: %s; echo_ref 1024 makes %.2f of the "
          "messages/s of the same loop reading 16 KiB: what the rule costs one thread" % (
              p, ", ".join("%s %.2f%s" % (d, med(rule[d].ratios), "" if rule[d].all_served(
                  LOADS["W2L"]) else " (not every answer right)") for d in w2l),
              med(rule["reference 1024"].ratios)))


def w4_only():
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
    print_w4({d: w4(d) for d in sys.argv[5:] or W4_DESIGNS})


def main():
    if sys.argv[4:5] == ["w4"]:
        return w4_only()
    began = time.monotonic()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # servers inherit it
    figures = {p: throughput(p) for p in PLACEMENTS}
    rule = {p: rule_chain(p) for p in PLACEMENTS}
    note("reuseport 2 and epoll side by side, W2, both placements")
    pairs = {p: head_to_head("epoll", "reuseport 2", LOADS["W2"], p) for p in PLACEMENTS}
    note("start-to-listening times")
    starts = start_times()
    w4s = {}
    for d in W4_DESIGNS:
        note("W4: 10,000 idle connections to %s" % d)
        w4s[d] = w4(d)
    note("log cost, bench against pingpong, compare's level groups")
    cost = {d: log_cost(d) for d in ("epoll", "threaded")}
    drive = bench_vs_pingpong()
    groups = compare_groups()
    note("system calls per message (strace -c -f), reuseport's spread")
    calls = {d: syscalls_per_message(d) for d in ("epoll", "uring")}
    spreads = [loop_spread() for _ in range(RUNS)]

    for p in PLACEMENTS:
        print_table(p, figures[p], rule[p], starts)
    print_w4(w4s)
    print("\npinned against free, W2 ratios side by side (pinned / free):")
    print("  " + ", ".join("%s %.2f/%.2f" % (d, ratio(figures["pinned"], d, "W2"),
                                              ratio(figures["free"], d, "W2"))
                           for d in DESIGNS))
    print("  pinned: the load generator and the server never share a core, and a server's\n"
          "  threads all run on one: a hand-off between threads costs a switch, not a\n"
          "  wake-up on the other core. What the design itself costs.\n"
          "  free: as a class's machine runs it. The scheduler spreads the server's threads\n"
          "  over both cores, the load generator's among them; each message handed from\n"
          "  one thread to another may wake a thread on the other core (an interrupt, a\n"
          "  cold cache), which on a small VM costs more than the echo itself. One-thread\n"
          "  event loops hand nothing over, so they lose least.")
    print()
    for p in PLACEMENTS:
        targets(p, figures[p], rule[p], pairs)
    print("INFO  system calls per message answered (strace -c -f, 100 clients x 100): " +
          ", ".join("%s %.2f" % kv for kv in calls.items()))
    even = 100 / 2
    verdict(all(len(s) == 2 and max(abs(n - even) for n in s) <= 0.2 * even for s in spreads),
            "reuseport 2: W2's 100 clients spread over the loops within 20%% of even, "
            "%d runs: %s" % (RUNS, ", ".join("/".join(map(str, s)) for s in spreads)))
    for d in ("epoll", "poll", "uring", "threaded"):
        w = w4s[d]
        verdict(w["held"] == 10000 and w["answered"] == 10000,
                "W4 %s: all 10,000 held (%d) and answered with their own bytes (%d)" % (
                    d, w["held"], w["answered"]))
    # A new client's wait: poll() hands the kernel all 10,000 descriptors on
    # every call and walks them after, so its wait grows with the crowd (the
    # lesson of lab 7); the others' should not.
    for d in ("epoll", "uring", "threaded", "poll"):
        wait = w4s[d]["wait_ms"]
        text = "W4 %s: a new client answered within 10 ms of 10,000 idle ones: %s" % (
            d, "%.2f ms" % wait if wait is not None else "none")
        if d == "poll":
            print("INFO  " + text + " (poll walks every descriptor on each call)")
        else:
            verdict(wait is not None and wait <= 10, text)
    for d in ("fork", "pool"):
        w = w4s[d]
        print("INFO  W4 %s: held %d, served (answered right) %d, refused %d, closed %d"
              % (d, w["held"], w["answered"], w["refused"], w["closed"]))
    verdict(drive >= 0.95, "netlab bench drives the reference >= 0.95 as hard as pingpong: %.2f"
            % drive)
    for what, three, same in groups:
        verdict(three == COMPARE_RUNS, "compare, %s: the three groups (event loops > blocking "
                "designs > sequential, blocked) in %d runs of %d; the same tiers in %d of %d" % (
                    what, three, COMPARE_RUNS, same, COMPARE_RUNS))
    verdict(all(c <= 2 for c in cost.values()), "the full log to a file costs <= 2x -qq, "
            "100 clients: " + ", ".join("%s %.2fx" % kv for kv in cost.items()))
    print("(%.0f s in all; load average at the end: %s)" % (
        time.monotonic() - began, open("/proc/loadavg").read().split()[0]))


def cleanup(*_):
    for proc in list(running):
        stop(proc)
    sys.exit(130)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, cleanup)
    signal.signal(signal.SIGTERM, cleanup)
    try:
        main()
    finally:
        for p in list(running):
            stop(p)
