"""rounds_hold.py FILE ROUNDS: does compare --json say only what its rounds hold?

Checks, for every row: ROUNDS figures in msgs_per_sec_runs; msgs_per_sec is
their median, _min and _max their ends; level_with is exactly the designs
whose median lies in this row's spread or whose spread holds this median;
no two level designs sit in different tiers; a design in a higher tier
beat every design of a lower tier in every single round; and each round
started the designs in the lineup's order rotated by one more (the
server pids of a round follow each other, modulo pid wrap-around).
Prints "ok: N designs, R rounds" or the first claim that does not hold.
"""
import json
import statistics
import sys

rows = json.load(open(sys.argv[1]))
rounds = int(sys.argv[2])
by = {r["design"]: r for r in rows}


def fail(text):
    print(text)
    sys.exit(1)


def level(a, b):
    return (a["msgs_per_sec_min"] <= b["msgs_per_sec"] <= a["msgs_per_sec_max"] or
            b["msgs_per_sec_min"] <= a["msgs_per_sec"] <= b["msgs_per_sec_max"])


for r in rows:
    runs = r["msgs_per_sec_runs"]
    if len(runs) != rounds or r["rounds"] != rounds:
        fail("%s: %d runs, not %d" % (r["design"], len(runs), rounds))
    if abs(r["msgs_per_sec"] - statistics.median(runs)) > 1:
        fail("%s: msgs_per_sec %s is not the median of %s" % (r["design"], r["msgs_per_sec"], runs))
    if (r["msgs_per_sec_min"], r["msgs_per_sec_max"]) != (min(runs), max(runs)):
        fail("%s: min/max are not those of %s" % (r["design"], runs))
for a in rows:
    want = sorted(b["design"] for b in rows if b is not a and level(a, b))
    if sorted(a["level_with"]) != want:
        fail("%s: level_with %s, but the spreads say %s" % (a["design"], a["level_with"], want))
    for b in rows:
        if b["design"] in a["level_with"] and a["tier"] != b["tier"]:
            fail("%s and %s are level but ranked" % (a["design"], b["design"]))
        if a["tier"] < b["tier"]:
            for k in range(rounds):
                if a["msgs_per_sec_runs"][k] <= b["msgs_per_sec_runs"][k]:
                    fail("%s ranked above %s, but not in round %d" % (a["design"], b["design"], k + 1))
n = len(rows)
pid_max = int(open("/proc/sys/kernel/pid_max").read())
for k in range(rounds):
    order = [rows[(k + j) % n] for j in range(n)]
    pids = [r["server_pids"][k] for r in order]
    if any((later - earlier) % pid_max > pid_max // 2 for earlier, later in zip(pids, pids[1:])):
        fail("round %d did not start at design %d: pids %s" % (k + 1, k % n + 1, pids))
print("ok: %d designs, %d rounds" % (n, rounds))
