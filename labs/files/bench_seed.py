"""bench_seed.py NETLAB [nodelay]: lab 13's run of netlab bench against seed
004's echo server (seed_echo.py, beside this file): it starts the server on a
free port, runs 'netlab bench -c 1 -n 50 -s 4000' against it, prints what
bench printed, and stops the server."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
server = subprocess.Popen([sys.executable, os.path.join(here, "seed_echo.py"), "0"] +
                          sys.argv[2:3], stdout=subprocess.PIPE, text=True)
try:
    line = server.stdout.readline()
    print(line, end="")
    port = line.rsplit("port", 1)[1].split()[0]
    bench = subprocess.run([sys.argv[1], "bench", "-p", port, "-c", "1", "-n", "50",
                            "-s", "4000"], check=False)
finally:
    server.terminate()
    server.wait()
sys.exit(bench.returncode)
