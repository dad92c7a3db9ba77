"""compare_says.py [it]: what lab 11 may say about a 'netlab compare --json'.

Reads compare's JSON on stdin, prints one line per design (the median
messages/s over the rounds and the spread, lowest to highest), then only
the sentences that hold in every round: which designs beat which in every
single round, which ones the rounds did not separate, who kept a new
client waiting, who used the most memory. Nothing here is written in
advance: each sentence is computed from the figures, so a noisy machine
gets fewer sentences, never false ones.
"""
import json
import sys

IT = sys.argv[1:2] == ["it"]
WORDS = {
    "head": ("{:<13} {:>9}  {}", "{:<13} {:>9}  {}"),
    "cols": (("design", "msgs/s", "lowest-highest, round by round"),
             ("design", "msg/s", "minimo-massimo, giro per giro")),
    "beat": ("In every round, {} answered more messages/s than {}.",
             "In ogni giro, {} hanno risposto a più messaggi al secondo di {}."),
    "beat1": ("In every round, {} answered more messages/s than {}.",
              "In ogni giro, {} ha risposto a più messaggi al secondo di {}."),
    "level": ("The rounds did not separate {}: no order between them held in every round.",
              "I giri non hanno separato {}: nessun ordine tra loro ha tenuto in ogni giro."),
    "blocked": ("A new client waited past 1 s, in every round, with: {}.",
                "Un nuovo client ha aspettato più di 1 s, in ogni giro, con: {}."),
    "answered": ("A new client was answered within 1 s, in every round, by: {}.",
                 "Un nuovo client ha avuto risposta entro 1 s, in ogni giro, da: {}."),
    "memory": ("The highest memory peak of any round: {} ({:.1f} MiB).",
               "Il picco di memoria più alto di tutti i giri: {} ({:.1f} MiB)."),
    "and": (" and ", " e "),
}


def say(key, *args):
    return WORDS[key][IT].format(*args)


def names(rows):
    """'a, b and c'"""
    words = [r["design"] for r in rows]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + say("and") + words[-1]


def tiers(rows):
    """compare's tiers, fastest first; within a tier, the table's order."""
    out = {}
    for r in rows:
        out.setdefault(r["tier"], []).append(r)
    return [out[t] for t in sorted(out)]


def beat_every_round(upper, lower):
    rounds = len(upper[0]["msgs_per_sec_runs"])
    return all(min(r["msgs_per_sec_runs"][k] for r in upper) >
               max(r["msgs_per_sec_runs"][k] for r in lower) for k in range(rounds))


def main():
    rows = json.load(sys.stdin)
    line = WORDS["head"][IT]
    print(line.format(*WORDS["cols"][IT]))
    for r in rows:
        runs = " ".join("%.0f" % x for x in r["msgs_per_sec_runs"])
        print(line.format(r["design"], "%.0f" % r["msgs_per_sec"],
                                 "%.0f-%.0f  (%s)" % (r["msgs_per_sec_min"],
                                                      r["msgs_per_sec_max"], runs)))
    print()
    groups = tiers(rows)
    for upper, lower in zip(groups, groups[1:]):
        assert beat_every_round(upper, lower)  # compare's promise, checked again here
        print(say("beat1" if len(upper) == 1 else "beat", names(upper), names(lower)))
    for group in groups:
        if len(group) > 1:
            print(say("level", names(group)))
    blocked = [r for r in rows if r["blocked_rounds"] == r["rounds"]]
    answered = [r for r in rows if r["blocked_rounds"] == 0]
    if blocked:
        print(say("blocked", names(blocked)))
    if answered:
        print(say("answered", names(answered)))
    most = max(rows, key=lambda r: r["peak_pss_kib"])  # the table's PSS MiB
    print(say("memory", most["design"], most["peak_pss_kib"] / 1024))


if __name__ == "__main__":
    main()
