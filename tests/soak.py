#!/usr/bin/env python3
"""soak.py - every design under a mixed crowd of polite and rude clients.

    soak.py [--netlab PATH] [--seconds S] [--designs a,b,c]

For S seconds (default 60) per design (default: every design that
'netlab --list-designs' names), one process drives a changing population
of clients through one selector loop, as a classroom would:

  echo       well-behaved: messages of random bytes, each sent and its echo
             read and checked byte for byte before the next one
  big        well-behaved: 1 MiB of random binary in one go, read back whole
  halfclose  sends, shuts down its writing side, reads the echo to the end
  reset      sends a lot, reads a little, then resets (SO_LINGER 0) while
             the server is in the middle of answering it
  deaf       sends 1 MiB and never reads a byte (the server must not wait
             for it forever, nor let it pile up memory without bound)
  silent     connects and never speaks (--idle-timeout must end it)
  burst      five connections opened and closed at once

The server runs as a teacher would start it for a class: --idle-timeout 3
--max-clients 64 (sequential refuses it: it has one client at a time), -qq. 'sequential' serves one client at a time, so it gets
one client at a time here too (its polite clients wait their turn, as a
student's would); 'limited' gets at most 1000 connections (it stops
listening after 1024, as it should).

A design passes when every well-behaved client (echo, big, halfclose) got
exactly its bytes back, the server never died and stops cleanly, wrote no
sanitizer report, and once the clients are gone its descriptors, threads,
child processes and resident memory are back within a small margin of
where they started. One line per design says what was done and seen; the
last line is the verdict, and the exit status is 0 only if all passed.
"""
import argparse
import os
import random
import re
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

POLITE = ("echo", "big", "halfclose")
HOLDING = ("deaf", "silent")    # they sit on a connection for seconds
KINDS = ("echo", "big", "halfclose", "reset", "deaf", "silent", "burst")
WEIGHTS = (40, 6, 12, 12, 5, 5, 10)
IDLE_TIMEOUT = 3
MAX_CLIENTS = 64       # a room of thirty, two terminals each
CROWD = 16              # quick clients at once (a burst adds five for a moment)
HOLDERS = 6             # deaf and silent ones at once, on top
LIMITED_BUDGET = 1000   # connections for 'limited 1024'
MIB = 1024 * 1024
CLIENT_DEADLINE = 60    # seconds a polite client may take, waiting included
# After the crowd leaves: how far above the start the server may stay.
FD_MARGIN = 2
THREAD_MARGIN = 1
RSS_MARGIN_KIB = 8 * 1024
# A sanitizer build keeps freed memory aside for a while (ASan's quarantine,
# told here to stay small) and has its own threads: a wider memory margin.
SANITIZED_RSS_MARGIN_KIB = 48 * 1024
SETTLE_SECONDS = 15
SANITIZED = False
# How many times slower the server runs (make asan, tsan and valgrind set
# NETLAB_SLOW): every time limit here is multiplied by it.
SLOW = int(os.environ.get("NETLAB_SLOW", "1"))


class Client:
    """One connection and what it is doing: a small state machine that the
    selector loop drives with on_read()/on_write()."""

    def __init__(self, soak, kind):
        self.soak, self.kind = soak, kind
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.connect_ex(("127.0.0.1", soak.port))
        self.started = time.monotonic()
        self.out = b""          # what is still to send of the current message
        self.want = b""         # what must come back for it
        self.got = 0            # how many bytes of 'want' came back, checked
        self.messages = []
        self.done = self.failed = False
        self.rng = soak.rng
        self.plan()

    def plan(self):
        rng = self.rng
        if self.kind == "echo":
            self.messages = [rng.randbytes(rng.randint(1, 8192))
                             for _ in range(rng.randint(3, 12))]
            self.next_message()
        elif self.kind == "big":
            self.want = rng.randbytes(MIB)
        elif self.kind == "halfclose":
            self.want = rng.randbytes(rng.randint(1, 65536))
        elif self.kind in ("reset", "deaf"):
            self.want = rng.randbytes(MIB)
        if self.kind != "echo":
            self.out = memoryview(self.want)
        self.register()

    def next_message(self):
        msg = self.messages.pop(0)
        self.out, self.want, self.got = memoryview(msg), msg, 0

    def events(self):
        ev = 0
        if self.out:
            ev |= selectors.EVENT_WRITE
        if self.kind != "deaf":
            ev |= selectors.EVENT_READ
        return ev

    def register(self):
        ev = self.events()
        key = self.soak.sel.get_map().get(self.sock)
        if ev == 0 and key is not None:
            self.soak.sel.unregister(self.sock)
        elif ev and key is None:
            self.soak.sel.register(self.sock, ev, self)
        elif ev and key.events != ev:
            self.soak.sel.modify(self.sock, ev, self)

    def on_write(self):
        try:
            n = self.sock.send(self.out[:262144])
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            return self.lost(e)
        self.out = self.out[n:]
        self.soak.sent += n
        if not self.out and self.kind == "halfclose":
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError as e:
                return self.lost(e)
        self.register()

    def on_read(self):
        try:
            data = self.sock.recv(262144)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            return self.lost(e)
        if not data:
            return self.ended()
        if self.kind == "reset":
            return self.reset()
        if self.kind == "silent":
            return  # the server's 'full' line, at most: wait for its close
        if memoryview(self.want)[self.got:self.got + len(data)] != data:
            return self.fail(f"bytes {self.got}..{self.got + len(data)} differ from "
                             f"those sent ({data[:40]!r})")
        self.got += len(data)
        if self.got < len(self.want) or self.kind == "halfclose":
            return
        self.soak.checked += len(self.want)
        if self.kind == "echo" and self.messages:
            self.next_message()
            self.register()
        else:
            self.finish()

    def ended(self):
        """The server closed the connection."""
        if self.kind == "halfclose" and self.got == len(self.want):
            self.soak.checked += len(self.want)
            return self.finish()
        if self.kind in POLITE:
            return self.fail(f"closed by the server after {self.got} of "
                             f"{len(self.want)} bytes")
        if self.kind == "silent":
            self.soak.timed_out += 1
        self.finish()

    def lost(self, err):
        if self.kind in POLITE:
            return self.fail(f"lost: {err}")
        self.finish()

    def reset(self):
        """Mid-answer: the server is writing to us; pull the plug (RST)."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.finish()

    def tick(self, now):
        """Time-driven steps: the rude clients' patience, the polite ones' deadline."""
        age = now - self.started
        if self.kind == "deaf" and age > IDLE_TIMEOUT + 2:
            self.finish()       # closing with unread bytes resets the connection
        elif self.kind == "silent" and age > IDLE_TIMEOUT + 10:
            self.fail("--idle-timeout never closed a silent client")
        elif self.kind == "reset" and age > 10:
            self.reset()        # never answered at all: reset anyway
        elif self.kind in POLITE and age > self.soak.deadline:
            self.fail(f"no complete answer after {self.soak.deadline} s "
                      f"({self.got} of {len(self.want)} bytes)")

    def fail(self, why):
        self.soak.failures.append(f"{self.kind} client: {why}")
        self.failed = True
        self.finish()

    def finish(self):
        if self.done:
            return
        self.done = True
        if self.sock in self.soak.sel.get_map():
            self.soak.sel.unregister(self.sock)
        self.sock.close()
        if self.kind in POLITE and not self.failed:
            self.soak.served += 1
        self.soak.clients.discard(self)


class Soak:
    def __init__(self, netlab, design, seconds, seed):
        self.netlab, self.design, self.seconds = netlab, design, seconds
        self.rng = random.Random(seed)
        self.sel = selectors.DefaultSelector()
        self.clients = set()
        self.failures = []
        self.applied = {k: 0 for k in KINDS}
        self.served = self.checked = self.sent = self.timed_out = 0
        self.connections = 0
        self.peak_rss = 0
        self.crowd = 1 if design == "sequential" else CROWD
        self.holders = 1 if design == "sequential" else HOLDERS
        # A sequential server makes every client wait for all those before it.
        self.deadline = CLIENT_DEADLINE * SLOW * (3 if design == "sequential" else 1)

    # -- the server ------------------------------------------------------
    def start(self):
        args = [self.design]
        if self.design == "limited":
            args.append("1024")
        args += ["--port", "0", "-qq", "--no-color", "--idle-timeout", str(IDLE_TIMEOUT)]
        if self.design != "sequential":     # it refuses it: one client at a time already
            args += ["--max-clients", str(MAX_CLIENTS)]
        self.log = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        env = dict(os.environ)
        if SANITIZED:
            env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=16"
        self.proc = subprocess.Popen([self.netlab] + args, stdout=self.log, stderr=self.err,
                                     stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 20 * SLOW
        while time.monotonic() < deadline:
            self.log.seek(0)
            m = re.search(rb"Starting server on '[^']*' port (\d+)", self.log.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise SystemExit(f"soak {self.design}: the server did not start: {self.stderr()}")

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace").strip()

    # -- what the kernel says about it -----------------------------------
    def children(self):
        kids = []
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == self.proc.pid:
                    kids.append(int(pid))
        return kids

    def rss_kib(self, pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
            return int(m.group(1)) if m else 0
        except OSError:
            return 0

    def resources(self):
        pid = self.proc.pid
        kids = self.children()
        return {
            "fds": len(os.listdir(f"/proc/{pid}/fd")),
            "threads": len(os.listdir(f"/proc/{pid}/task")),
            "children": len(kids),
            "rss": self.rss_kib(pid) + sum(self.rss_kib(k) for k in kids),
        }

    def settled_baseline(self):
        """Pool's workers start after the start line: wait for the count to hold."""
        last, stable_since = None, time.monotonic()
        while time.monotonic() - stable_since < 0.5:
            now = self.resources()
            if now != last:
                last, stable_since = now, time.monotonic()
            time.sleep(0.05)
        return last

    # -- the crowd --------------------------------------------------------
    def choose(self, holding):
        n = sum(self.applied.values())
        if n < len(KINDS):          # every kind at least once, first
            return KINDS[n]
        kind = self.rng.choices(KINDS, WEIGHTS)[0]
        if kind in HOLDING and holding >= self.holders:
            return "echo"           # enough clients sit on the server already
        return kind

    def busy(self):
        """How many quick clients and how many holders are connected."""
        holding = sum(1 for c in self.clients if c.kind in HOLDING)
        return len(self.clients) - holding, holding

    def add_client(self):
        kind = self.choose(self.busy()[1])
        self.applied[kind] += 1
        if kind == "burst":
            for _ in range(5):
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", self.port))
                s.close()
            self.connections += 5
            return
        self.connections += 1
        self.clients.add(Client(self, kind))

    def budget_left(self):
        return self.design != "limited" or self.connections < LIMITED_BUDGET

    def run(self):
        self.start()
        self.base = self.settled_baseline()
        end = time.monotonic() + self.seconds
        last_sample = 0
        while True:
            now = time.monotonic()
            adding = now < end and self.budget_left()
            if not adding and not self.clients:
                break
            if now > end + self.deadline + 30:
                self.failures.append(f"{len(self.clients)} clients still busy long after the end")
                break
            while adding and self.busy()[0] < self.crowd and self.budget_left():
                self.add_client()
            for key, ev in self.sel.select(timeout=0.05):
                client = key.data
                if ev & selectors.EVENT_WRITE and not client.done:
                    client.on_write()
                if ev & selectors.EVENT_READ and not client.done:
                    client.on_read()
            for client in list(self.clients):
                client.tick(now)
            if now - last_sample > 0.25:
                last_sample = now
                if self.proc.poll() is not None:
                    self.failures.append(f"the server died (status {self.proc.returncode})")
                    break
                self.peak_rss = max(self.peak_rss, self.resources()["rss"])
        for client in list(self.clients):
            client.finish()
        return self.judge()

    # -- the verdict ------------------------------------------------------
    def back_to_base(self):
        """Wait for the server to let go of what the crowd cost it."""
        deadline = time.monotonic() + SETTLE_SECONDS * SLOW
        while True:
            now = self.resources()
            over = []
            if now["fds"] > self.base["fds"] + FD_MARGIN:
                over.append(f"descriptors {self.base['fds']} -> {now['fds']}")
            if now["threads"] > self.base["threads"] + THREAD_MARGIN:
                over.append(f"threads {self.base['threads']} -> {now['threads']}")
            if now["children"] > self.base["children"]:
                over.append(f"child processes {self.base['children']} -> {now['children']}")
            if now["rss"] > self.base["rss"] + (SANITIZED_RSS_MARGIN_KIB if SANITIZED
                                                else RSS_MARGIN_KIB):
                over.append(f"resident memory {self.base['rss']} -> {now['rss']} KiB")
            if not over or time.monotonic() > deadline:
                return now, over
            time.sleep(0.1)

    def judge(self):
        after, over = ({}, []) if self.proc.poll() is not None else self.back_to_base()
        self.failures += [f"after the crowd left: {o}" for o in over]
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                status = self.proc.wait(timeout=20 * SLOW)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                status = self.proc.wait()
            if status != 0:
                self.failures.append(f"stopped with status {status}, not 0")
        report = self.stderr()
        if re.search(r"Sanitizer|runtime error|LeakSanitizer", report):
            self.failures.append("a sanitizer report on stderr:\n" + report[-2000:])
        faults = ", ".join(f"{k} {self.applied[k]}" for k in KINDS if k not in ("echo",))
        mib = self.checked / MIB
        line = (f"soak {self.design}: {self.served} polite clients served "
                f"({self.connections} connections), faults: {faults}; "
                f"{mib:.1f} MiB checked; peak memory {self.peak_rss / 1024:.1f} MiB; "
                f"silent ones timed out by the server: {self.timed_out}; ")
        if after:
            line += (f"after: fds {self.base['fds']}->{after['fds']}, threads "
                     f"{self.base['threads']}->{after['threads']}, children "
                     f"{after['children']}, rss {self.base['rss'] / 1024:.1f}->"
                     f"{after['rss'] / 1024:.1f} MiB; ")
        line += "PASS" if not self.failures else "FAIL"
        print(line, flush=True)
        for f in self.failures[:10]:
            print(f"  {self.design}: {f}", flush=True)
        return not self.failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--netlab", default="./netlab")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--designs", default=None, help="default: every design netlab has")
    ap.add_argument("--seed", type=int, default=None)
    opts = ap.parse_args()
    seed = opts.seed if opts.seed is not None else random.randrange(1 << 30)
    global SANITIZED
    with open(opts.netlab, "rb") as f:
        image = f.read()
    SANITIZED = b"__asan_init" in image or b"__tsan_init" in image
    print(f"soak: {opts.seconds:g} s per design, idle-timeout {IDLE_TIMEOUT} s, "
          f"max-clients {MAX_CLIENTS}, seed {seed}"
          f"{', a sanitizer build' if SANITIZED else ''}", flush=True)
    if opts.designs is None:	# every design, as netlab itself lists them
        listed = subprocess.run([opts.netlab, "--list-designs"], stdout=subprocess.PIPE,
                                text=True, check=True).stdout
        opts.designs = ",".join(line.split()[0] for line in listed.splitlines())
    failed = []
    for design in opts.designs.split(","):
        if not Soak(os.path.abspath(opts.netlab), design, opts.seconds, seed).run():
            failed.append(design)
    if failed:
        print(f"soak: FAIL ({', '.join(failed)})")
        return 1
    print(f"soak: PASS, every design ({len(opts.designs.split(','))}), "
          f"nothing lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
