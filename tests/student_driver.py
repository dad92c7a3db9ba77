#!/usr/bin/env python3
"""student_driver.py - play one lab by hand, as a student does.

A terminal of 80 x 24 (tmux) runs 'netlab lab N'; the driver reads only
what that screen shows now (no scrollback), and does what the current step
asks: it answers a prediction, opens a terminal and types the nc line
there, types a line into an nc, presses Ctrl-C in it, edits a file, types
'status' or 'timeline' when the text says so, presses Enter to run a step's
command or to go on. It types nothing the screen has not asked for.

It fails (exit 1, with the screen) when a step passes before the student
did what it asks, when the text it needs has scrolled off the screen, or
when a step cannot be passed by doing what it says.

    student_driver.py --netlab ./netlab --lab 5 --lang it --workdir DIR
    [--variant seed]   (lab 12: paste the tutorial's own server instead)

DRIVER_TRACE=1 prints the bottom of each screen it reads, with the time.
Every wait is bounded and scaled by NETLAB_SLOW; the tmux server is private
(-L, TMUX_TMPDIR in the work folder) and ends with the driver.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

SLOW = float(os.environ.get("NETLAB_SLOW", "1"))
HERE = os.path.dirname(os.path.abspath(__file__))
T0 = time.monotonic()

# What the lab prints, in its two languages: the driver reads these.
WORDS = {
    "en": dict(
        header=r"^Step (\d+) of (\d+): ",
        prompt=r"^lab (\d+), step (\d+)/(\d+)(, Enter runs it| passed, Enter goes on)?> ?(.*)$",
        runs=", Enter runs it", passed=" passed, Enter goes on",
        guess=r"^your guess> ?(.*)$",
        newterm=r"^  In a new terminal \(call it '([\w-]+)'\), type:$",
        type=r"^  In '([\w-]+)', type:  (.*)$",
        ctrlc=r"^  In '([\w-]+)', press Ctrl-C\.$",
        ctrld=r"^  In '([\w-]+)', press Ctrl-D\.$",
        edit=r"^  Edit (\S+): change the line$", into="  into",
        run=r"^  Press Enter and the lab runs this for you:$",
        passline=r"^PASS \(step (\d+) of (\d+)\)",
        enter=r"^  Press Enter (for the next step|to finish the lab)\.$",
        predict="  Predict: ", done="Well done:",
        ask=r"\b[Tt]ype '(status|timeline)'",
        status=("the kernel's view, as", "Accept queue:", "Threads:"),
        legend=("  A accept()  r received",),
        guesses=("yes, I think so", "I would say it waits"),
        served="in the server's; served by",
        failed=r"[0-7] of 8 properties held",
        first="first",          # the first terminal's name, as the lab says it
    ),
    "it": dict(
        header=r"^Passo (\d+) di (\d+): ",
        prompt=r"^lab (\d+), passo (\d+)/(\d+)(, Invio lo esegue| superato, Invio va avanti)?> ?(.*)$",
        runs=", Invio lo esegue", passed=" superato, Invio va avanti",
        guess=r"^la tua previsione> ?(.*)$",
        newterm=r"^  In un nuovo terminale \(chiamalo '([\w-]+)'\), scrivi:$",
        type=r"^  In '([\w-]+)', scrivi:  (.*)$",
        ctrlc=r"^  In '([\w-]+)', premi Ctrl-C\.$",
        ctrld=r"^  In '([\w-]+)', premi Ctrl-D\.$",
        edit=r"^  Modifica (\S+): cambia la riga$", into="  in",
        run=r"^  Premi Invio e il lab lo esegue per te:$",
        passline=r"^PASS \(passo (\d+) di (\d+)\)",
        enter=r"^  Premi Invio (per il passo successivo|per finire il lab)\.$",
        predict="  Previsione: ", done="Ben fatto:",
        ask=r"\b[Ss]crivi '(status|timeline)'",
        status=("quello che vede il kernel", "Coda di accept:", "Thread:"),
        legend=("  A accept()  r ricevuto",),
        guesses=("sì, credo", "direi che aspetta"),
        served="in quella del server; servito da",
        failed=r"[0-7] proprietà su 8 rispettate",
        first="primo",
    ),
}


# The runner's own English words: none may show on an Italian lab's screen
# (the log's event lines and what a command printed are not the runner's).
ENGLISH = ("Press Enter", "Step ", "Watch:", "Hint:", "Why:", "What happened", "You predicted",
           "Your guess", "runs this for you", "waited ", "served by", "This step waits",
           "Well done", "running it again", "Not yet:", "goes into the nc window",
           "Starting the server", "In a new terminal", "press Ctrl-C", "change the line",
           "the kernel's queue", "nobody is connected", "your guess>")


class Failed(Exception):
    pass


class Terminal:
    """The tmux server: the lab's window and the student's other terminals."""

    def __init__(self, workdir, term_prefix=""):
        self.env = dict(os.environ, TMUX_TMPDIR=workdir)
        self.workdir = workdir
        self.windows = set()
        self.term_prefix = term_prefix   # class mode: the student's own machine

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", "student", *args], env=self.env, check=check,
                              capture_output=True, text=True, timeout=10)

    def start(self, command):
        conf = os.path.join(self.workdir, "tmux.conf")
        with open(conf, "w") as f:
            f.write("set -g remain-on-exit on\nset -g history-limit 2000\n")
        self.tmux("-f", conf, "new-session", "-d", "-s", "s", "-x", "80", "-y", "24",
                  "-n", "lab", "-c", self.workdir, command)

    def screen(self, window="lab"):
        """The rows the terminal shows now: what a person sees, nothing above."""
        out = self.tmux("capture-pane", "-p", "-t", "s:" + window).stdout
        return [row.rstrip() for row in out.split("\n")]

    def keys(self, window, *keys):
        self.tmux("send-keys", "-t", "s:" + window, *keys)

    def type_line(self, window, text):
        self.tmux("send-keys", "-t", "s:" + window, "-l", text)
        self.keys(window, "Enter")

    def shell(self, name):
        """A new terminal window, at a shell prompt, in the work folder."""
        if name not in self.windows:
            self.tmux("new-window", "-d", "-n", name, "-c", self.workdir,
                      self.term_prefix + " env PS1='$ ' bash --norc --noprofile")
            self.windows.add(name)
        else:
            self.keys(name, "C-c")  # whatever still ran there ends first
        self.at_prompt(name)

    def at_prompt(self, name):
        """Until the window shows its shell's prompt, as a person waits for it."""
        end = time.monotonic() + 5 * SLOW
        while time.monotonic() < end:
            rows = [r for r in self.screen(name) if r]
            if rows and rows[-1] == "$" and self.running(name) == "bash":
                return
            time.sleep(0.05)

    def running(self, window):
        out = self.tmux("display-message", "-p", "-t", "s:" + window,
                        "#{pane_current_command}").stdout
        return out.strip()

    def end(self):
        self.tmux("kill-server", check=False)


class Student:
    def __init__(self, args):
        self.args = args
        self.w = WORDS[args.lang]
        self.t = Terminal(args.workdir, args.term_prefix)
        self.done = set()        # the actions done: (step, what, who, text)
        self.entered = set()     # run: steps whose command the student started
        self.asked = set()       # 'status' / 'timeline' typed: (step, word)
        self.checked = set()     # lab-specific looks at the screen
        self.read_pass = set()   # steps whose PASS and explanation were read
        self.missing = None      # (step, since when its text is not on the screen)
        self.step = 0
        self.last_action = time.monotonic()
        self.transcript = []

    # ---- reading the screen, at a person's pace

    def read(self, settle=0.2, limit=5.0):
        """
        The screen once it has stopped changing: a person reads a still
        screen. (A person's pace, not the machine's: not scaled by SLOW.)
        """
        rows = self.t.screen()
        still = time.monotonic()
        end = time.monotonic() + limit * SLOW
        self.settled = False
        while time.monotonic() < end:
            time.sleep(0.05)
            now = self.t.screen()
            if now != rows:
                rows, still = now, time.monotonic()
                if os.environ.get("DRIVER_TRACE") == "2":
                    print("%.2f   %s" % (still - T0, [r[:50] for r in rows if r][-3:-1]))
            elif time.monotonic() - still >= settle:
                self.settled = True
                break
        self.transcript.append("\n".join(rows))
        if os.environ.get("DRIVER_TRACE"):
            print("%.2f read %s" % (time.monotonic() - T0, [r for r in rows if r][-2:]))
        return rows

    def fail(self, why, rows):
        raise Failed("%s\n--- the screen (80x24) ---\n%s" % (why, "\n".join(rows)))

    @staticmethod
    def last(rows, pattern):
        for i in range(len(rows) - 1, -1, -1):
            m = re.match(pattern, rows[i])
            if m:
                return i, m
        return -1, None

    # ---- doing what the step says

    def block(self, rows, step):
        """The current step's rows on the screen, from its title down."""
        i, m = self.last(rows, self.w["header"])
        if m is None or int(m.group(1)) != step:
            return None
        return rows[i:]

    def act(self, step, rows):
        """Every action the step's text shows that is not done yet, in order."""
        w = self.w
        acted = False
        for i, row in enumerate(rows):
            m = re.match(w["newterm"], row)
            if m and i + 1 < len(rows):
                acted |= self.do(step, "do", m.group(1), rows[i + 1].strip())
            m = re.match(w["type"], row)
            if m:
                acted |= self.do(step, "type", m.group(1), m.group(2))
            m = re.match(w["ctrlc"], row)
            if m:
                acted |= self.do(step, "stop", m.group(1), "")
            m = re.match(w["ctrld"], row)
            if m:
                acted |= self.do(step, "eof", m.group(1), "")
            m = re.match(w["edit"], row)
            if m and i + 3 < len(rows) and rows[i + 2] == w["into"]:
                acted |= self.do(step, "edit", m.group(1),
                                 rows[i + 1].strip() + " => " + rows[i + 3].strip())
        return acted

    def do(self, step, what, who, text):
        key = (step, what, who, text)
        if key in self.done:
            return False
        self.done.add(key)
        if what == "do":
            self.t.shell(who)
            if self.args.variant == "seed" and text.startswith("cp ") and \
                    text.endswith(" server.py"):
                # The student pastes the tutorial's own server instead.
                shutil.copy(os.path.join(HERE, "student", "seed_sequential.py"),
                            os.path.join(self.args.workdir, "server.py"))
            else:
                self.t.type_line(who, text)
        elif what == "type":
            self.t.type_line(who, text)
        elif what == "stop":
            self.t.keys(who, "C-c")
        elif what == "eof":
            self.t.keys(who, "C-d")
        elif what == "edit":
            self.edit(who, text)
        self.last_action = time.monotonic()
        time.sleep(0.15)  # a person's hands: one action, then the next
        return True

    def edit(self, name, change):
        """As in an editor: the line OLD becomes NEW, if the file has it."""
        old, new = change.split(" => ", 1)
        path = os.path.join(self.args.workdir, name)
        with open(path) as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            if line.strip() == old:
                lines[i] = line[:len(line) - len(line.lstrip())] + new
        with open(path, "w") as f:
            f.write("\n".join(lines))

    def ask(self, step, rows):
        """'status' or 'timeline', when the text on screen says to type it."""
        for row in rows:
            for word in re.findall(self.w["ask"], row):
                if (step, word) in self.asked:
                    continue
                self.asked.add((step, word))
                self.t.type_line("lab", word)
                seen = self.w["status"] if word == "status" else self.w["legend"]
                end = time.monotonic() + 10 * SLOW
                shown = self.t.screen()
                while time.monotonic() < end and \
                        not any(m in r for r in shown for m in seen):
                    time.sleep(0.05)
                    shown = self.t.screen()
                if not any(m in r for r in shown for m in seen):
                    self.fail("'%s' printed nothing like '%s'" % (word, seen[0]), shown)
                if word == "timeline":
                    self.look_at_timeline(shown)
                return True
        return False

    # ---- what a lab says its timeline shows, held against the screen

    def lanes(self, rows):
        return [r for r in rows if re.match(r"^  (\S.{20}) ?[ .:=xAcr|]{10,}$", r)]

    def look_at_timeline(self, rows):
        lab = self.args.lab
        lanes = [r[24:] for r in rows if r.startswith("  main ") or
                 r.startswith("  worker") or r.startswith("  ('")]
        if lab == 1:
            main = [r[24:] for r in rows if r.startswith("  main ")]
            if not main or main[-1].count("A") < 2 or "c" not in main[-1]:
                self.fail("lab 1's timeline: main's lane should show both accepts and "
                          "the first client's close", rows)
        if lab == 5:
            clients = [r[24:] for r in rows if r.startswith("  ('") and
                       re.search(r"[.:=x]", r[24:])]
            if not any(":" in c and "=" in c for c in clients):
                self.fail("lab 5's timeline: no client lane shows ':' (the pool's queue) "
                          "then '='", rows)
            said = " ".join(r.strip() for r in rows)   # its rows wrap at 80
            if not re.search(r"\b[1-9]\d*[.,]\d s " + re.escape(self.w["served"]) +
                             " worker", said):
                self.fail("lab 5's timeline: no client waited in the server's queue "
                          "and was served by a worker", rows)
            workers = [r[24:] for r in rows if r.startswith("  worker")]
            if sum(w.count("r") for w in workers) < 3:
                self.fail("lab 5's timeline: the workers' lanes lack an 'r'", rows)
        self.checked.add("timeline")
        del lanes

    def look_after_pass(self, step, rows):
        """What the lab's own text claims, held against what happened."""
        lab = self.args.lab
        if lab == 10 and step == 1 and "nc" not in self.checked:
            # The lab says nc stays open after the idle timeout, until a line is typed.
            self.checked.add("nc")
            first = self.w["first"]
            if self.t.running(first) != "nc":
                self.fail("lab 10: nc ended by itself, the lab says it stays open", rows)
            self.t.type_line(first, "anyone there?")
            end = time.monotonic() + 5 * SLOW
            while time.monotonic() < end and self.t.running(first) == "nc":
                time.sleep(0.05)
            if self.t.running(first) == "nc":
                self.fail("lab 10: nc still runs after a line was typed into it", rows)
        if lab == 12 and step == 2 and self.args.variant == "seed":
            text = "\n".join(rows)
            if not re.search(self.w["failed"], text) or "ConnectionResetError" not in text:
                self.fail("lab 12 with the tutorial's server: 'rude' should fail, and the "
                          "lab say why (ConnectionResetError)", rows)

    # ---- the lab, step by step

    def play(self):
        a = self.args
        lang = ["--lang", a.lang]
        command = "%s env XDG_STATE_HOME=%s %s %s lab %d %s" % (
            a.lab_prefix, os.path.join(a.workdir, "state"), a.netlab, " ".join(lang), a.lab,
            "--host " + a.host if a.host else "")
        self.t.start(command)
        w = self.w
        deadline = time.monotonic() + a.limit * SLOW
        while time.monotonic() < deadline:
            rows = self.read()
            if not self.settled:
                continue    # the log still pours in: a person waits for it to stop
            self.check_language(rows)
            text = "\n".join(rows)
            if w["done"] in text:
                if a.lab in (1, 5) and "timeline" not in self.checked:
                    self.fail("lab %d asks for 'timeline', and it was never typed" % a.lab,
                              rows)
                self.t.type_line("lab", "quit")
                return
            i, guess = self.last(rows, w["guess"])
            j, prompt = self.last(rows, w["prompt"])
            if guess is not None and i > j:
                if not any(r.startswith(w["predict"]) for r in rows):
                    self.fail("the prediction's question has scrolled away", rows)
                yes = "(yes/no)" in text or "(sì/no)" in text
                self.t.type_line("lab", w["guesses"][0 if yes else 1])
                continue
            if prompt is None:
                if self.t.running("lab") not in ("netlab", ""):
                    self.fail("no prompt on the lab's screen", rows)
                continue
            step, kind = int(prompt.group(2)), prompt.group(4) or ""
            self.step = step
            if kind == w["passed"]:
                self.after_pass(step, rows)
                continue
            block = self.block(rows, step)
            if block is None:
                # The lab shows it again once the log is quiet: a person waits a moment.
                if time.monotonic() - self.missing_since(step) > 2 * SLOW:
                    self.fail("step %d waits, but its text has scrolled off the screen"
                              % step, rows)
                continue
            self.missing = None
            self.check_not_ahead(step, rows)
            acted = self.act(step, block)
            if kind == w["runs"]:
                if not any(re.match(w["run"], r) for r in block):
                    self.fail("step %d waits for Enter, but its command is not on the "
                              "screen" % step, rows)
                self.entered.add(step)
                self.t.keys("lab", "Enter")
                self.last_action = time.monotonic()
                continue
            if acted or self.ask(step, block):
                continue
            if time.monotonic() - self.last_action > a.step_limit * SLOW:
                self.fail("step %d: did all it says, and it did not pass" % step, rows)
        self.fail("the lab did not end within %d s" % a.limit, self.t.screen())

    def check_language(self, rows):
        if self.args.lang != "it":
            return
        for row in rows:
            if row.startswith(("  | ", "  > ", "next  back")):
                continue
            for word in ENGLISH:
                if word in row:
                    self.fail("English on an Italian lab's screen: '%s'" % word, rows)

    def missing_since(self, step):
        if self.missing is None or self.missing[0] != step:
            self.missing = (step, time.monotonic())
        return self.missing[1]

    def check_not_ahead(self, step, rows):
        """Output of a run: before the student pressed Enter: the step ran ahead."""
        block = self.block(rows, step) or []
        if step not in self.entered and any(r.startswith("  > ") for r in block):
            self.fail("step %d ran its command before the student pressed Enter" % step,
                      rows)

    def after_pass(self, step, rows):
        w = self.w
        i, m = self.last(rows, w["passline"])
        if step in self.read_pass:
            i = 0   # read before 'status' or 'timeline' pushed it up
        elif m is None or int(m.group(1)) != step:
            # The log poured in after the pass: the lab shows the PASS line and
            # its why again once the log is quiet, and a person waits a moment.
            if time.monotonic() - self.missing_since(("passed", step)) > 2 * SLOW:
                self.fail("step %d passed, but its PASS line has scrolled away" % step, rows)
            return
        self.missing = None
        self.read_pass.add(step)
        if not any(re.match(w["enter"], r) for r in rows[i:]):
            self.fail("step %d passed, but 'Press Enter' is not on the screen" % step, rows)
        block = self.block(rows, step) or rows[:i]
        todo = [k for k in self.expected(step, block) if k not in self.done]
        if todo:
            self.fail("step %d passed before the student did: %s" % (step, todo), rows)
        if self.has_run(block) and step not in self.entered:
            self.fail("step %d passed before the student pressed Enter" % step, rows)
        self.look_after_pass(step, rows)
        if self.ask(step, block if self.block(rows, step) else rows[i:]):
            return
        self.t.keys("lab", "Enter")
        self.last_action = time.monotonic()

    def has_run(self, rows):
        return any(re.match(self.w["run"], r) for r in rows)

    def expected(self, step, rows):
        """The actions the step's text asks for, as act() would do them."""
        w, keys = self.w, []
        for i, row in enumerate(rows):
            m = re.match(w["newterm"], row)
            if m and i + 1 < len(rows):
                keys.append((step, "do", m.group(1), rows[i + 1].strip()))
            m = re.match(w["type"], row)
            if m:
                keys.append((step, "type", m.group(1), m.group(2)))
            m = re.match(w["ctrlc"], row)
            if m:
                keys.append((step, "stop", m.group(1), ""))
        return keys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--netlab", required=True)
    p.add_argument("--lab", type=int, required=True)
    p.add_argument("--lang", choices=("en", "it"), default="en")
    p.add_argument("--workdir", required=True)
    p.add_argument("--variant", choices=("starting-file", "seed"), default="starting-file")
    p.add_argument("--limit", type=int, default=150, help="seconds for the whole lab")
    p.add_argument("--host", help="class mode: lab N --host HOST")
    p.add_argument("--lab-prefix", default="",
                   help="class mode: how to run the lab on the teacher's machine")
    p.add_argument("--term-prefix", default="",
                   help="class mode: how the student's terminals reach their own machine")
    p.add_argument("--step-limit", type=int, default=45,
                   help="seconds a step may take once the student did all it says")
    args = p.parse_args()
    args.netlab = os.path.abspath(args.netlab)
    os.makedirs(args.workdir, exist_ok=True)
    student = Student(args)
    try:
        student.play()
        print("lab %d (%s) played by hand to its end" % (args.lab, args.lang))
        return 0
    except Failed as e:
        print("lab %d (%s): %s" % (args.lab, args.lang, e))
        return 1
    finally:
        student.t.end()


if __name__ == "__main__":
    sys.exit(main())
