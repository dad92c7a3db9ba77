#!/usr/bin/python3
"""show_browser.py DIR - a student's browser for 'netlab show', driven line by line.

Headless Chromium (Debian's chromium and chromium-driver, through Selenium),
with a fresh profile in DIR, reads one command a line on stdin and answers
one line on stdout, 'ok ...' or 'fail ...', so that a bats test can act as
the students do (nc in other terminals) between two looks at the page, and
keep one browser for the whole test:

    open URL                  load the page, as a student types its address
    queued PEER               until the accept queue holds a box for PEER
    lane ACTOR DOING          until ACTOR's lane says it is doing DOING
    client PEER STATE         until PEER's lane is in STATE (queued, waiting, served, closed)
    status STATE              until the page's status is STATE (live, ended, ...)
    text WORDS                until the page shows WORDS somewhere
    event WORDS               until a line of the server's log holds WORDS
    same                      the page was not reloaded since 'open'
    harmless                  no script of a client's ran, no markup of theirs became an element
    updates SECONDS           how many snapshots the page drew in that time
    lines                     how many lines of the server's log the page shows,
                              and how many different ones
    attr SELECTOR NAME        the attribute of the first element matching
    shot FILE                 a screenshot
    quit

Arguments are separated by tabs (a peer has spaces in it). Every wait is
bounded: 10 s times NETLAB_SLOW.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

SLOW = float(os.environ.get("NETLAB_SLOW", "1"))
WAIT_S = 10 * SLOW

# The checks, as functions of the page: arguments come in as arguments[0..],
# never pasted into the script, so a peer with quotes cannot break one.
CHECKS = {
    "queued": """
        const queue = document.querySelector('[data-part="accept-queue"]');
        return queue !== null && [...queue.querySelectorAll('[data-peer]')]
            .some(box => box.getAttribute('data-peer') === arguments[0]);""",
    "lane": """
        return [...document.querySelectorAll('[data-part="lane"]')].some(lane =>
            lane.getAttribute('data-actor') === arguments[0] &&
            lane.getAttribute('data-doing') === arguments[1]);""",
    "client": """
        return [...document.querySelectorAll('[data-part="client"]')].some(lane =>
            lane.getAttribute('data-peer') === arguments[0] &&
            lane.getAttribute('data-state') === arguments[1]);""",
    "status": """
        const status = document.querySelector('[data-part="status"]');
        return status !== null && status.getAttribute('data-state') === arguments[0];""",
    "text": "return document.body.innerText.includes(arguments[0]);",
    "event": """
        return [...document.querySelectorAll('[data-part="event"]')]
            .some(line => line.textContent.includes(arguments[0]));""",
}

# What the page looked like when a wait gave up, for the failure's message.
PICTURE = """
    const part = name => [...document.querySelectorAll('[data-part="' + name + '"]')];
    return JSON.stringify({
        status: part('status').map(s => s.getAttribute('data-state') + ': ' + s.textContent),
        lanes: part('lane').map(l => l.getAttribute('data-actor') + ' ' + l.getAttribute('data-doing')),
        queue: [...document.querySelectorAll('[data-part="accept-queue"] [data-peer]')]
            .map(b => b.getAttribute('data-peer')),
        clients: part('client').map(c => c.getAttribute('data-peer') + ' ' + c.getAttribute('data-state'))
    });"""


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--user-data-dir=" + profile, "--window-size=1600,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for(driver, check, args):
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            if driver.execute_script(CHECKS[check], *args):
                return "ok"
        except WebDriverException as e:
            last = str(e).splitlines()[0]
        if time.monotonic() >= deadline:
            return "fail %s %s: the page shows %s" % (check, "\t".join(args),
                                                      driver.execute_script(PICTURE))
        time.sleep(0.05)


def harmless(driver):
    """No client's script ran, no client's markup became an element."""
    ran = driver.execute_script("return window.__netlab_pwned === undefined ? null : "
                                "String(window.__netlab_pwned);")
    foreign = driver.execute_script("""
        return [...document.querySelectorAll('img, iframe, object, embed, [onerror], [onload]')]
            .map(e => e.outerHTML.slice(0, 80)).concat(
            [...document.scripts].filter(s => s.id !== 'words' && !s.nonce && !s.hasAttribute('nonce'))
            .map(s => s.outerHTML.slice(0, 80)));""")
    if ran is not None:
        return "fail a client's script ran: " + ran
    if foreign:
        return "fail a client's markup became elements: " + json.dumps(foreign)
    return "ok"


def updates(driver, seconds):
    """Snapshots drawn in 'seconds': counted by the page's own draws of its status."""
    driver.execute_script("""
        window.__netlab_draws = 0;
        new MutationObserver(() => window.__netlab_draws++).observe(
            document.querySelector('[data-part="status"]'), { attributes: true, childList: true,
            characterData: true, subtree: true });""")
    time.sleep(seconds)
    return "ok %d" % driver.execute_script("return window.__netlab_draws;")


def run(driver, words):
    command, args = words[0], words[1:]
    if command == "open":
        driver.get(args[0])
        driver.execute_script("window.__netlab_opened = true;")
        return "ok"
    if command in CHECKS:
        return wait_for(driver, command, args)
    if command == "same":
        same = driver.execute_script("return window.__netlab_opened === true;")
        return "ok" if same else "fail the page was loaded again"
    if command == "harmless":
        return harmless(driver)
    if command == "updates":
        return updates(driver, float(args[0]))
    if command == "lines":
        texts = driver.execute_script(
            "return [...document.querySelectorAll('[data-part=\"event\"]')].map(l => l.textContent);")
        return "ok %d %d" % (len(texts), len(set(texts)))
    if command == "attr":
        value = driver.execute_script(
            "const e = document.querySelector(arguments[0]);"
            "return e === null ? null : e.getAttribute(arguments[1]);", *args)
        return "ok %s" % value if value is not None else "fail no %s with %s" % tuple(args)
    if command == "shot":
        driver.save_screenshot(args[0])
        return "ok"
    return "fail unknown command " + command


def main():
    driver = browser(sys.argv[1])
    print("ok ready", flush=True)
    try:
        for line in sys.stdin:
            words = line.rstrip("\n").split("\t")
            if words == ["quit"]:
                break
            try:
                answer = run(driver, words)
            except WebDriverException as e:
                answer = "fail " + str(e).splitlines()[0]
            print(answer.replace("\n", " "), flush=True)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
