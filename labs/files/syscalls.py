"""syscalls.py NETLAB DESIGN [it]: what lab 14 counts.

Starts 'NETLAB DESIGN' under strace -c -f (which counts every system call
each of the server's threads makes), drives 4,000 messages at it with
'netlab bench' (20 clients x 200 messages of 64 bytes), stops it, and
prints the calls it made most often and, last, the system calls per 100
messages: the start and the end of the server are counted too, and are a
few dozen calls in all.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile

NETLAB, DESIGN = sys.argv[1], sys.argv[2]
IT = sys.argv[3:4] == ["it"]
CLIENTS, MESSAGES = 20, 200
WORDS = {
    "calls": ("{}: {} system calls while it answered {} messages; the most frequent:",
              "{}: {} chiamate di sistema mentre rispondeva a {} messaggi; le più frequenti:"),
    "per": ("system calls per 100 messages: {}", "chiamate di sistema ogni 100 messaggi: {}"),
    "failed": ("the server did not start: {}", "il server non è partito: {}"),
}


def say(key, *args):
    print(WORDS[key][IT].format(*args), flush=True)


def server_under_strace(counts):
    argv = ["strace", "-f", "-c", "-o", counts, NETLAB, DESIGN, "-qq", "--port", "0",
            "--no-color"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stdout.readline().decode()
    if "Starting server on" not in line:
        proc.wait(10)
        say("failed", proc.stderr.read().decode().strip() or line.strip())
        sys.exit(1)
    return proc, line.rsplit("port", 1)[1].split()[0]


def stop(proc):
    """SIGTERM to the server strace started (strace then writes its counts)."""
    with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
        for pid in f.read().split():
            os.kill(int(pid), signal.SIGTERM)
    proc.wait(10)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        counts = os.path.join(tmp, "counts")
        proc, port = server_under_strace(counts)
        try:
            out = subprocess.run([NETLAB, "bench", "--port", port, "-c", str(CLIENTS),
                                  "-n", str(MESSAGES), "--json"], stdout=subprocess.PIPE,
                                 check=False).stdout
        finally:
            stop(proc)
        answered = json.loads(out)["messages"]
        rows = [line.split() for line in open(counts) if line[:1] in " 0123456789"]
    # % time, seconds, usecs/call, calls, [errors,] syscall
    calls = {r[-1]: int(r[3]) for r in rows if len(r) >= 5}
    total = calls.pop("total", 0)
    say("calls", DESIGN, total, answered)
    for name, n in sorted(calls.items(), key=lambda kv: -kv[1])[:4]:
        print("  %-16s %6d" % (name, n))
    say("per", round(100 * total / answered) if answered else 0)


main()
