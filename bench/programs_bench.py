#!/usr/bin/env python3
"""Real programs under each malloc: a Markdown section for bench/RESULTS.md.

    bench/programs_bench.py [--build DIR] [--rounds N] [--only NAME[,NAME]] [--json FILE]
    bench/programs_bench.py --quick       (1 round, python and gcc only, small sizes)

Times real programs, each run under glibc's malloc, jemalloc, tcmalloc and
mimalloc (where installed; LD_PRELOAD) and kmm's own libkmm-malloc.so
(BUILD/libkmm-malloc.so):

  python   python3 builds a dict of two million small strings and tears it
           down: with pymalloc (the default), and with PYTHONMALLOC=malloc
  sqlite   the sqlite3 CLI: 500 000 inserts into an indexed table, queries
  git      git init, add, commit and log --stat on a generated tree
  gcc      gcc -O2 -c of a generated C file (the driver, cc1 and as all preloaded)
  redis    redis-server (preloaded) on 127.0.0.1 answering redis-benchmark
           -n 200000 -q -t set,get,incr,lpush,lpop (not preloaded)

Allocators alternate within each round, in an order rotated from round to
round. Reported: the median wall time and the largest peak RSS per program
and allocator, and kmm-malloc's against the others'. Every run's output is
checked against glibc's; a run that fails or prints otherwise is reported as
such. Goals: kmm-malloc's wall time within x1.05 of the fastest other
allocator's, its peak RSS within x1.2 of glibc's. bench/PROGRAMS.md has the
details. The Markdown goes to stdout, progress to stderr.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The goals (the issue's): kmm-malloc's median wall over the fastest other
# allocator's, and its peak RSS over glibc's.
WALL_GOAL = 1.05
RSS_GOAL = 1.2

# As bench/peers.c: the environment overrides the search (a path, or "none").
PEERS = {
    "jemalloc": ("KMM_BENCH_JEMALLOC", "libjemalloc2", ["libjemalloc.so.2"]),
    "tcmalloc": ("KMM_BENCH_TCMALLOC", "libtcmalloc-minimal4",
                 ["libtcmalloc_minimal.so.4", "libtcmalloc.so.4"]),
    "mimalloc": ("KMM_BENCH_MIMALLOC", "libmimalloc2.0", ["libmimalloc.so.2"]),
}

# Libraries a program may be linked with that bring their own malloc.
OWN_MALLOCS = ("libjemalloc.so", "libtcmalloc", "libmimalloc.so")


def log(msg):
    print("programs_bench: " + msg, file=sys.stderr, flush=True)


# ---- finding the allocators (as bench/peers.c does) ----

def elf_kind(path):
    """(class, data, machine) of an ELF file, or None."""
    try:
        with open(path, "rb") as f:
            h = f.read(20)
    except OSError:
        return None
    if len(h) < 20 or h[:4] != b"\x7fELF":
        return None
    order = "little" if h[5] == 1 else "big"
    return h[4], h[5], int.from_bytes(h[18:20], order)


SELF_KIND = elf_kind("/proc/self/exe")


def usable(path):
    """A shared object for this machine's architecture?"""
    if not path or not os.path.isfile(path) or not os.access(path, os.R_OK):
        return False
    kind = elf_kind(path)
    return kind is not None and (SELF_KIND is None or kind == SELF_KIND)


def command_output(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


_ldcache = None


def find_in_ldcache(soname):
    """ldconfig -p lines: "\tlibjemalloc.so.2 (libc6,x86-64) => /path/libjemalloc.so.2"."""
    global _ldcache
    if _ldcache is None:
        _ldcache = ""
        for ldconfig in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
            _ldcache = command_output([ldconfig, "-p"])
            if _ldcache:
                break
    for line in _ldcache.splitlines():
        name, arrow, path = line.strip().partition(" => ")
        if arrow and name.split(" ")[0] == soname and usable(path):
            return path
    return None


def libc_path():
    """The C library this process runs on, from its memory map."""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split(None, 5)[5].strip() if len(line.split(None, 5)) == 6 else ""
                base = os.path.basename(path)
                if base.startswith("libc.so") or (base.startswith("libc-")
                                                  and base.endswith(".so")):
                    return path
    except OSError:
        pass
    return None


def find_in_dirs(soname):
    dirs = []
    libc = libc_path()
    if libc:
        d = os.path.dirname(libc)
        # /lib/<triplet> and /usr/lib/<triplet> are not the same on every system
        dirs += [d, d[4:] if d.startswith("/usr/") else "/usr" + d]
    dirs += ["/usr/local/lib", "/usr/lib64", "/usr/lib", "/lib64", "/lib"]
    for d in dirs:
        path = os.path.join(d, soname)
        if usable(path):
            return path
    return None


def find_in_dpkg(package, soname):
    for line in command_output(["dpkg", "-L", package]).splitlines():
        if os.path.basename(line) == soname and usable(line):
            return line
    return None


def package_version(path):
    """"libjemalloc2 5.3.0-1" from dpkg, if dpkg knows the file; "" otherwise."""
    for p in (path, os.path.realpath(path)):
        owner = command_output(["dpkg-query", "-S", p]).split(": ")[0]
        if owner and "\n" not in owner:
            version = command_output(["dpkg-query", "-W", "-f=${Version}", owner])
            if version:
                return "%s %s" % (owner.split(":")[0], version)
    return ""


def find_allocators(build):
    """Each allocator: name, preload (a path, or None), shown (how the report names it), note."""
    found = []
    glibc = os.confstr("CS_GNU_LIBC_VERSION") if "CS_GNU_LIBC_VERSION" in os.confstr_names else ""
    found.append({"name": "glibc", "preload": None, "available": True,
                  "version": glibc or "the system's libc", "shown": "no preload", "note": ""})
    for name in ("jemalloc", "tcmalloc", "mimalloc"):
        env, package, sonames = PEERS[name]
        a = {"name": name, "preload": None, "available": False, "version": "", "shown": "",
             "note": ""}
        value = os.environ.get(env, "")
        if value == "none":
            a["note"] = "disabled by %s=none" % env
        elif value:
            if usable(value):
                a["preload"] = value
            else:
                a["note"] = "%s=%s is not a usable shared object" % (env, value)
        else:
            for soname in sonames:
                a["preload"] = (find_in_ldcache(soname) or find_in_dirs(soname)
                                or find_in_dpkg(package, soname))
                if a["preload"]:
                    break
            if not a["preload"]:
                a["note"] = "not installed (Debian: %s)" % package
        if a["preload"]:
            a["available"] = True
            a["version"] = package_version(a["preload"]) or "(version unknown)"
            a["shown"] = "`LD_PRELOAD=%s`" % a["preload"]
        found.append(a)
    # kmm's own: BUILD/libkmm-malloc.so, or KMM_BENCH_KMM_MALLOC (a path, or "none")
    a = {"name": "kmm-malloc", "preload": None, "available": False,
         "version": "libkmm-malloc.so", "shown": "", "note": ""}
    value = os.environ.get("KMM_BENCH_KMM_MALLOC", "")
    if value == "none":
        a["note"] = "disabled by KMM_BENCH_KMM_MALLOC=none"
    else:
        path = value or os.path.join(build, "libkmm-malloc.so")
        # no path of this machine in the results: the build tree's place, or the variable
        a["shown"] = "`LD_PRELOAD=%s`" % ("$KMM_BENCH_KMM_MALLOC" if value
                                          else "BUILD/libkmm-malloc.so")
        if usable(path):
            a["preload"] = os.path.abspath(path)
            a["available"] = True
        else:
            a["note"] = ("KMM_BENCH_KMM_MALLOC=%s is not a usable shared object" % value if value
                         else "not built (BUILD/libkmm-malloc.so: `make build`)")
    found.append(a)
    return found


def links_own_malloc(program):
    """The malloc library a program is linked with, if any (Debian's redis-server: jemalloc)."""
    for line in command_output(["ldd", program]).splitlines():
        name = line.strip().split(" ")[0]
        if name.startswith(OWN_MALLOCS):
            return name
    return None


# ---- running a child ----

class Child:
    """What run_child saw of one program."""

    def __init__(self, wall, rss_kib, cpu, code, out, err, timed_out):
        self.wall, self.rss_kib, self.cpu, self.code = wall, rss_kib, cpu, code
        self.out, self.err, self.timed_out = out, err, timed_out


class Run:
    """One run: wall seconds, peak RSS (KiB), CPU seconds, what it printed, what went wrong."""

    @classmethod
    def of(cls, c, timeout):
        r = cls()
        r.wall, r.rss_kib, r.cpu, r.output, r.stderr = c.wall, c.rss_kib, c.cpu, c.out, c.err
        if c.code or c.timed_out:
            r.error = describe_failure(c.code, c.timed_out, c.err, timeout)
        return r

    def __init__(self):
        self.wall = 0.0
        self.rss_kib = 0
        self.cpu = 0.0
        self.output = b""
        self.error = ""       # the run failed: exit status, timeout, a preload not loaded
        self.mismatch = ""    # it ran, but did not print what glibc's run printed
        self.stderr = b""
        self.extra = {}


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


# A fork of this process is a copy of its memory, and a child's ru_maxrss counts the pages
# of the process it was forked from (Linux sets it from the old memory at exec): /bin/true
# started from here would show this process's 15 MiB. So a program is started by a small
# shell instead, in a child that waits for a word on a FIFO and then execs the program; the
# shell exits at once, the child is handed to this process (a child subreaper) and is
# waited for here. Its ru_maxrss is the program's own, from under 1 MiB (the shell's copy).
LAUNCH = 'go=$1 pidfile=$2; shift 2; exec 9<&0; { read _ <"$go"; exec "$@"; } <&9 9<&- & ' \
         'echo $! >"$pidfile"'

_subreaper = None


def subreaper():
    """Makes this process the reaper of its orphaned descendants; False if it cannot be."""
    global _subreaper
    if _subreaper is None:
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            _subreaper = libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
        except (OSError, AttributeError, ImportError):
            _subreaper = False
        if not _subreaper:
            log("cannot be a child subreaper: peak RSS includes this process's (about %d MiB)"
                % (resource_self_kib() // 1024))
    return _subreaper


def resource_self_kib():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def wait_exit(pid):
    """Waits for pid's end without reaping it (the deadline's timer cannot kill a reused pid)."""
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)


def open_go(go, pid):
    """The FIFO go opened for writing, once the child waiting on it has opened its end."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return os.open(go, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: it has not opened its end yet
            gone = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            if gone or time.monotonic() > deadline:
                raise RuntimeError("the program's process did not wait for its start")
            time.sleep(0.0005)


def reap_orphans():
    """Reaps the dead descendants handed to this process (a killed gcc's cc1): no zombies left
    behind. Only dead ones: a live child (the redis-server of a run) is left alone."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return


def run_child(argv, env, timeout, stdin_path=None, cwd=None):
    """Runs argv to its end: a Child (wall s, ru_maxrss KiB, CPU s, exit code, out, err...).

    The program is in a process group of its own, killed whole at the deadline. Its
    rusage from wait4 is its own and that of every descendant it waited for: the
    peak RSS is the largest of those processes' (cc1's under gcc's driver)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    ctl = tempfile.mkdtemp(prefix="kmm-run-")
    timed_out = []
    pid = pgid = None
    try:
        if subreaper():
            go, pidfile = os.path.join(ctl, "go"), os.path.join(ctl, "pid")
            os.mkfifo(go)
            launcher = subprocess.Popen(["/bin/sh", "-c", LAUNCH, "sh", go, pidfile] + argv,
                                        stdin=fin, stdout=out, stderr=err, env=env, cwd=cwd,
                                        start_new_session=True)
            pgid = launcher.pid
            if launcher.wait(timeout=30):
                raise RuntimeError("the launcher shell exited with %d" % launcher.returncode)
            with open(pidfile) as f:
                pid = int(f.read().strip() or 0)
            if pid <= 0:
                raise RuntimeError("the launcher shell did not start the program")
            fd = open_go(go, pid)
            t0 = time.perf_counter()
            os.write(fd, b"go\n")  # it execs the program
            os.close(fd)
        else:
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, stdin=fin, stdout=out, stderr=err, env=env, cwd=cwd,
                                 start_new_session=True)
            pid = pgid = p.pid
            p.returncode = 0  # reaped here, not by subprocess
        timer = threading.Timer(timeout, lambda: (timed_out.append(1), kill_group(pgid)))
        timer.start()
        try:
            wait_exit(pid)
        finally:
            timer.cancel()
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        pid = None
        kill_group(pgid)  # anything it left behind in its group
        out.seek(0)
        err.seek(0)
        return Child(wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime,
                     os.waitstatus_to_exitcode(status), out.read(), err.read(), bool(timed_out))
    finally:
        if pgid is not None and pid is not None:
            # interrupted: the program (perhaps still waiting for its word) does not outlive us
            kill_group(pgid)
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
        reap_orphans()
        shutil.rmtree(ctl, ignore_errors=True)
        out.close()
        err.close()
        if stdin_path:
            fin.close()


def base_env(home):
    """This environment, less what would change a run: another preload, Python's allocator."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_PRELOAD", "PYTHONMALLOC", "KMM_MALLOC_STATS", "MALLOC_CONF",
                        "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME")}
    env["HOME"] = home
    env["LC_ALL"] = "C"
    return env


def preload_env(env, alloc, wl):
    env = dict(env)
    if alloc["preload"]:
        env["LD_PRELOAD"] = alloc["preload"]
    elif wl.glibc_preload:
        env["LD_PRELOAD"] = wl.glibc_preload
    return env


def check_preload(run, stderr):
    """ld.so only warns when a preload cannot be loaded: the run would be glibc's."""
    if b"cannot be preloaded" in stderr:
        lines = [ln for ln in stderr.decode(errors="replace").splitlines()
                 if "cannot be preloaded" in ln]
        run.error = "the preload was not loaded: " + lines[0].strip()


def describe_failure(code, timed_out, stderr, timeout):
    if timed_out:
        what = "timed out after %g s" % timeout
    elif code < 0:
        what = "killed by signal %d" % -code
    else:
        what = "exit status %d" % code
    tail = stderr.decode(errors="replace").strip().splitlines()[-2:]
    return what + (": " + " / ".join(tail) if tail else "")


# ---- the workloads ----

PYTHON_DICT = '''N = %(n)d
d = {}
for i in range(N):
    d["k%%d" %% i] = "v%%d" %% (i * 7)
total = sum(len(v) for v in d.values())
keys = sorted(d)[:3] + sorted(d)[-3:]
print(len(d), total, keys, d["k%%d" %% (N - 1)])
del d
junk = [("x" * (i %% 50)) for i in range(%(junk)d)]
print(len(junk), sum(map(len, junk)))
'''

SQLITE_WORK = '''CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v INTEGER);
CREATE INDEX t_name ON t(name);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %(n)d)
INSERT INTO t(name, v) SELECT printf('name-%%08d', (x * 7919) %% %(n)d), x * 3 FROM c;
SELECT count(*), sum(v), min(name), max(name) FROM t;
SELECT name, v FROM t WHERE name BETWEEN 'name-00012345' AND 'name-00012350' ORDER BY name;
SELECT substr(name, 1, 8), count(*), sum(v) %% 1000003 FROM t GROUP BY substr(name, 1, 8) ORDER BY 1 LIMIT 5;
DELETE FROM t WHERE id %% 3 = 0;
SELECT count(*), sum(v) FROM t;
PRAGMA integrity_check;
'''

GCC_FUNC = '''static long step_%(i)d(struct node *n, long x)
{
	long acc = %(a)d;
	for (int k = 0; k < %(b)d + (int)(x & 7); k++) {
		switch ((x + k) %% 6) {
		case 0: acc += n->key * %(c)d - k; break;
		case 1: acc ^= (acc << 3) | (long)n->w[k & 3]; break;
		case 2: n->w[k & 3] = n->w[(k + 1) & 3] * 0.5 + (double)acc; break;
		case 3: acc -= (long)strlen(n->name) + k * %(a)d; break;
		case 4: if (n->next) acc += n->next->key %% (%(b)d + k); break;
		default: acc = acc * %(c)d + (x >> (k & 15));
		}
	}
	return acc + (long)n->w[0];
}

long walk_%(i)d(struct node *head, long seed)
{
	long s = seed;
	for (struct node *n = head; n; n = n->next) {
		s = step_%(i)d(n, s) + (s >> %(a)d);
		if ((s & %(b)d) == %(c)d)
			n->key += s;
	}
	return s + step_%(i)d(head, s & 1023);
}
'''


def gcc_source(nfuncs):
    """A C file of nfuncs pairs of functions with loops and switches for the optimiser."""
    parts = ["#include <stddef.h>\n#include <string.h>\n\n"
             "struct node { struct node *next; long key; double w[4]; char name[24]; };\n"]
    for i in range(nfuncs):
        parts.append(GCC_FUNC % {"i": i, "a": 3 + i % 17, "b": 5 + i % 13, "c": 7 + i % 11})
    parts.append("long walk_all(struct node *h, long s)\n{\n")
    parts += ["\ts = walk_%d(h, s);\n" % i for i in range(nfuncs)]
    parts.append("\treturn s;\n}\n")
    return "".join(parts)


def make_git_tree(root, ndirs, nfiles):
    """ndirs directories of nfiles small C-like files, the same on every machine."""
    seed = 12345
    for i in range(ndirs):
        d = os.path.join(root, "dir%02d" % i, "sub%d" % (i % 7))
        os.makedirs(d)
        for j in range(nfiles):
            lines = []
            for k in range(10 + (i * 37 + j * 11) % 120):
                seed = (seed * 1103515245 + 12345) & 0x7fffffff
                lines.append("int f_%d_%d_%d(int x) { return x * %d + %d; }\n"
                             % (i, j, k, seed % 1000, k))
            with open(os.path.join(d, "file%02d.c" % j), "w") as f:
                f.write("".join(lines))


def resolve_python():
    """The python3 on PATH as its real binary, not a wrapper script (pyenv's shims are bash)."""
    found = shutil.which("python3")
    if not found:
        return None
    real = os.path.realpath(found)
    try:
        with open(real, "rb") as f:
            script = f.read(2) == b"#!"
    except OSError:
        return None
    if not script:
        return real
    if os.path.exists("/usr/bin/python3"):
        return os.path.realpath("/usr/bin/python3")
    exe = command_output([found, "-c", "import sys; print(sys.executable)"]).strip()
    return os.path.realpath(exe) if exe else None


class Workload:
    """A row: what it runs (run), made ready once outside the timing (setup)."""
    key = ""          # the name --only selects
    needs = ()        # programs on PATH it cannot run without
    # glibc's column: the C library preloaded (for a program linked with another malloc)
    glibc_preload = None

    def __init__(self, quick):
        self.quick = quick
        self.skipped = ""
        self.version = ""
        self.notes = []

    def missing(self):
        for p in self.needs:
            if not shutil.which(p):
                return "%s is not installed" % p
        return ""

    def setup(self, tmp, env):
        pass

    def same(self, run, ref):
        """Does run print what the reference (glibc's) run printed?"""
        if run.output != ref.output:
            return "prints otherwise than glibc's run (%s)" % first_difference(run.output,
                                                                                ref.output)
        return ""


def first_difference(a, b):
    al, bl = a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines()
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return "line %d: %r, glibc: %r" % (i + 1, x[:60], y[:60])
    return "%d lines, glibc: %d" % (len(al), len(bl))


class Python(Workload):
    key = "python"

    def __init__(self, quick, pymalloc):
        super().__init__(quick)
        self.pymalloc = pymalloc
        self.n = 200000 if quick else 2000000
        self.label = "python3" if pymalloc else "python3 PYTHONMALLOC=malloc"
        self.does = ("a dict of %s small strings built, summed, sorted and torn down, then "
                     "%s short strings; %s" % ("{:,}".format(self.n).replace(",", " "),
                                               "30 000" if quick else "300 000",
                                               "Python's own allocator for small objects "
                                               "(pymalloc, the default)" if pymalloc
                                               else "every object through malloc"))

    def missing(self):
        self.python = resolve_python()
        return "" if self.python else "python3 is not installed"

    def setup(self, tmp, env):
        self.script = os.path.join(tmp, "dict.py")
        with open(self.script, "w") as f:
            f.write(PYTHON_DICT % {"n": self.n, "junk": self.n * 3 // 20})
        self.version = command_output([self.python, "--version"]).strip()
        self.command = "python3 dict.py" if self.pymalloc else "PYTHONMALLOC=malloc python3 dict.py"
        self.glibc_preload = glibc_preload_for(self, self.python)

    def run(self, alloc, env, tmp, timeout):
        env = preload_env(env, alloc, self)
        if not self.pymalloc:
            env["PYTHONMALLOC"] = "malloc"
        c = run_child([self.python, self.script], env, timeout, cwd=tmp)
        return Run.of(c, timeout)


class Sqlite(Workload):
    key = "sqlite"
    needs = ("sqlite3",)
    label = "sqlite3"

    def __init__(self, quick):
        super().__init__(quick)
        self.n = 50000 if quick else 500000
        self.does = ("the sqlite3 CLI: %s inserts into a table with an index (a database file), "
                     "queries, a delete of a third, an integrity check"
                     % "{:,}".format(self.n).replace(",", " "))

    def setup(self, tmp, env):
        self.sql = os.path.join(tmp, "work.sql")
        with open(self.sql, "w") as f:
            f.write(SQLITE_WORK % {"n": self.n})
        self.version = "sqlite3 " + command_output(["sqlite3", "--version"]).split(" ")[0]
        self.command = "sqlite3 t.db < work.sql"
        self.glibc_preload = glibc_preload_for(self, "sqlite3")

    def run(self, alloc, env, tmp, timeout):
        db = os.path.join(tmp, "t.db")
        for f in (db, db + "-journal"):
            if os.path.exists(f):
                os.unlink(f)
        r = Run.of(run_child(["sqlite3", db], preload_env(env, alloc, self), timeout,
                             stdin_path=self.sql, cwd=tmp), timeout)
        if not r.error and b"\nok\n" not in b"\n" + r.output:
            r.error = "integrity_check did not print ok"
        if os.path.exists(db):
            os.unlink(db)
        return r


class Git(Workload):
    key = "git"
    needs = ("git",)
    label = "git"

    def __init__(self, quick):
        super().__init__(quick)
        self.ndirs, self.nfiles = (10, 20) if quick else (100, 80)
        self.does = ("git init, add, commit and log --stat of a generated tree of %d small files "
                     "in %d directories (a fresh repository each run), each step a process"
                     % (self.ndirs * self.nfiles, self.ndirs))

    def setup(self, tmp, env):
        self.tree = os.path.join(tmp, "git-tree")
        make_git_tree(self.tree, self.ndirs, self.nfiles)
        self.version = command_output(["git", "--version"]).strip()
        self.command = "git init; git add -A; git commit; git log --stat"
        self.glibc_preload = glibc_preload_for(self, "git")

    def run(self, alloc, env, tmp, timeout):
        repo = os.path.join(tmp, "git-repo")
        shutil.rmtree(repo, ignore_errors=True)
        env = preload_env(env, alloc, self)
        # fixed names and dates, no user or system configuration: the same hashes every run
        env.update(GIT_DIR=repo, GIT_WORK_TREE=self.tree, GIT_CONFIG_NOSYSTEM="1",
                   GIT_CONFIG_GLOBAL=os.devnull, GIT_PAGER="cat",
                   GIT_AUTHOR_NAME="kmm", GIT_AUTHOR_EMAIL="kmm@example.org",
                   GIT_COMMITTER_NAME="kmm", GIT_COMMITTER_EMAIL="kmm@example.org",
                   GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
                   GIT_COMMITTER_DATE="2024-01-01T00:00:00Z")
        # no automatic gc: it would go on in the background, detached, after the commit
        git = ["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false"]
        steps = [git + ["-c", "init.defaultBranch=main", "init", "-q"],
                 git + ["add", "-A"],
                 git + ["commit", "-q", "-m", "a generated tree"],
                 git + ["log", "--stat", "--format=%H %T %s"]]
        r = Run()
        outputs, errs = [], []
        t0 = time.perf_counter()
        for argv in steps:
            c = run_child(argv, env, timeout, cwd=self.tree)
            r.rss_kib = max(r.rss_kib, c.rss_kib)
            r.cpu += c.cpu
            outputs.append(c.out)
            errs.append(c.err)
            if c.code or c.timed_out:
                step = [w for w in argv[1:] if not w.startswith("-") and "=" not in w][0]
                r.error = "git %s: %s" % (step, describe_failure(c.code, c.timed_out, c.err,
                                                                  timeout))
                break
        r.wall = time.perf_counter() - t0
        r.output, r.stderr = b"".join(outputs), b"".join(errs)
        shutil.rmtree(repo, ignore_errors=True)
        return r


class Gcc(Workload):
    key = "gcc"
    needs = ("gcc",)
    label = "gcc -O2"

    def __init__(self, quick):
        super().__init__(quick)
        self.nfuncs = 8 if quick else 100
        self.does = ("gcc -O2 -c of a generated C file of %d functions with loops and switches "
                     "(the driver, cc1 and as all under the preload); the object must be "
                     "glibc's, byte for byte" % (2 * self.nfuncs + 1))

    def setup(self, tmp, env):
        self.src = os.path.join(tmp, "gen.c")
        with open(self.src, "w") as f:
            f.write(gcc_source(self.nfuncs))
        self.version = "gcc " + command_output(["gcc", "-dumpfullversion"]).strip()
        self.command = "gcc -O2 -c gen.c"
        self.glibc_preload = glibc_preload_for(self, "gcc")

    def run(self, alloc, env, tmp, timeout):
        obj = os.path.join(tmp, "gen.o")
        if os.path.exists(obj):
            os.unlink(obj)
        r = Run.of(run_child(["gcc", "-O2", "-c", "gen.c", "-o", "gen.o"],
                             preload_env(env, alloc, self), timeout, cwd=tmp), timeout)
        if not r.error:
            with open(obj, "rb") as f:
                r.output += f.read()
            os.unlink(obj)
        return r

    def same(self, run, ref):
        return "" if run.output == ref.output else "the object differs from glibc's run's"


REDIS_TESTS = ("SET", "GET", "INCR", "LPUSH", "LPOP")


class Redis(Workload):
    key = "redis"
    needs = ("redis-server", "redis-benchmark")
    label = "redis-server"

    def __init__(self, quick):
        super().__init__(quick)
        self.n = 20000 if quick else 200000
        self.does = ("redis-server (under the preload) on 127.0.0.1 answering "
                     "`redis-benchmark -n %d -q -t set,get,incr,lpush,lpop` (not preloaded): "
                     "the client's wall time, the server's VmHWM" % self.n)

    def setup(self, tmp, env):
        self.version = command_output(["redis-server", "--version"]).strip().split(" sha=")[0]
        self.command = "redis-benchmark -n %d -q -t set,get,incr,lpush,lpop" % self.n
        self.glibc_preload = glibc_preload_for(self, "redis-server")

    def start_server(self, env, tmp):
        """A redis-server on a free port of 127.0.0.1, answering PING: (Popen, port)."""
        last = ""
        for _ in range(5):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            logfile = os.path.join(tmp, "redis.log")
            # its stderr in a file (a pipe nobody reads could fill up): ld.so's and the shim's
            # warnings
            with open(os.path.join(tmp, "redis.err"), "wb") as err:
                p = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--daemonize", "no",
                                      "--dir", tmp, "--logfile", logfile],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=err, env=env, start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and p.poll() is None:
                if ping(port):
                    return p, port
                time.sleep(0.02)
            stop_server(p)
            for f in (logfile, os.path.join(tmp, "redis.err")):
                try:
                    with open(f, errors="replace") as fd:
                        last = " / ".join(fd.read().strip().splitlines()[-2:]) or last
                except OSError:
                    pass
        raise RuntimeError("redis-server does not start: " + last)

    def run(self, alloc, env, tmp, timeout):
        r = Run()
        server = None
        try:
            server, port = self.start_server(preload_env(env, alloc, self), tmp)
            # the client without the preload: only the server's malloc is measured
            c = run_child(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-n",
                           str(self.n), "-q", "-t", "set,get,incr,lpush,lpop"], env, timeout)
            r = Run.of(c, timeout)
            r.rss_kib = vm_hwm(server.pid)
            r.cpu = server_cpu(server.pid)
            if r.error:
                r.error = "redis-benchmark: " + r.error
            if server.poll() is not None:
                r.error = "redis-server exited with status %d during the run" % server.returncode
        except RuntimeError as e:
            r.error = str(e)
        finally:
            if server:
                stop_server(server)
                with open(os.path.join(tmp, "redis.err"), "rb") as f:
                    check_preload(r, f.read())
        rps = {}
        for line in r.output.replace(b"\r", b"\n").decode(errors="replace").splitlines():
            if "requests per second" in line and ":" in line:
                name, _, rest = line.partition(":")
                rps[name.strip()] = float(rest.split()[0])
        r.extra["requests_per_second"] = rps
        r.output = (" ".join(sorted(rps))).encode()
        if not r.error and sorted(rps) != sorted(REDIS_TESTS):
            r.error = "redis-benchmark reported %d of its 5 tests" % len(rps)
        return r

    def same(self, run, ref):
        return ""  # the five "requests per second" lines, checked in run()


def ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def vm_hwm(pid):
    """The peak resident set of a live process, in KiB."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def server_cpu(pid):
    """The user and system seconds a live process has taken so far."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def stop_server(p):
    """SIGTERM by its pid, SIGKILL (its group) if it has not gone in 10 s."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(p.pid)
            p.wait()
    kill_group(p.pid)


def glibc_preload_for(wl, program):
    """A program linked with another malloc (Debian's redis-server: jemalloc) would run on that
    one without a preload: glibc's column then preloads the C library itself, whose malloc
    comes first then."""
    path = shutil.which(program)
    own = links_own_malloc(path) if path else None
    if not own:
        return None
    libc = libc_path()
    if libc:
        wl.notes.append("`%s` is linked with %s: glibc's column preloads the C library "
                        "(`LD_PRELOAD=%s`) so that its malloc serves the program"
                        % (program, own, libc))
    return libc


def all_workloads(quick):
    return [Python(quick, True), Python(quick, False), Sqlite(quick), Git(quick), Gcc(quick),
            Redis(quick)]


# ---- the report ----

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("model name", "Processor", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def summarize(wl, allocs, runs):
    """Per allocator: median wall, max RSS, status; kmm-malloc's ratios and goals."""
    res = {}
    for a in allocs:
        rs = runs.get(a["name"], [])
        if not a["available"]:
            res[a["name"]] = {"status": "not installed" if "not installed" in a["note"]
                              else "not run", "note": a["note"]}
            continue
        failed = [r for r in rs if r.error]
        differ = [r for r in rs if r.mismatch]
        ok = [r for r in rs if not r.error]
        res[a["name"]] = {
            "status": "failed" if failed else "differs" if differ else "ok",
            "median_wall_s": statistics.median(r.wall for r in ok) if ok else None,
            "max_rss_kib": max(r.rss_kib for r in ok) if ok else None,
            "runs": [{"round": r.round, "wall_s": round(r.wall, 4), "rss_kib": r.rss_kib,
                      "cpu_s": round(r.cpu, 4),
                      "error": r.error, "mismatch": r.mismatch, **r.extra} for r in rs],
        }
    s = {"allocators": res}
    k = res.get("kmm-malloc", {})
    if k.get("status") == "ok":
        others = [(v["median_wall_s"], n) for n, v in res.items()
                  if n != "kmm-malloc" and v.get("status") == "ok"]
        if others:
            best, name = min(others)
            s["kmm_over_best"] = {"ratio": k["median_wall_s"] / best, "best": name,
                                  "goal": WALL_GOAL,
                                  "met": k["median_wall_s"] / best <= WALL_GOAL}
        g = res.get("glibc", {})
        if g.get("status") == "ok" and g["max_rss_kib"]:
            ratio = k["max_rss_kib"] / g["max_rss_kib"]
            s["rss_kmm_over_glibc"] = {"ratio": ratio, "goal": RSS_GOAL, "met": ratio <= RSS_GOAL}
    return s


def cell(v, field, fmt):
    st = v.get("status")
    if st in ("not installed", "not run"):
        return st
    if st == "failed":
        return "**FAILED**"
    text = fmt(v[field]) if v.get(field) is not None else "-"
    return "**DIFFERS** (%s)" % text if st == "differs" else text


def markdown(report, allocs, wls):
    names = [a["name"] for a in allocs]
    out = ["", "## Real programs under each malloc", ""]
    m = report["machine"]
    out.append("Run on %s: %d CPUs (`nproc`), %s; load average %s at the start; %d round(s), "
               "`bench/programs_bench.py`%s." % (report["date"], m["nproc"], m["cpu"],
                                                  m["loadavg"], report["rounds"],
                                                  " --quick (small sizes)" if report["quick"]
                                                  else ""))
    out.append("")
    out.append("Wall seconds, the median of the rounds; lower is better. `kmm-malloc/best` is "
               "kmm-malloc's over the fastest other allocator's (goal: x%.2f or less)." % WALL_GOAL)
    out.append("")
    out.append("| program | " + " | ".join(names) + " | kmm-malloc/best | goal |")
    out.append("| :-- | " + " | ".join("--:" for _ in names) + " | --: | :-- |")
    for wl in wls:
        if wl.skipped:
            out.append("| %s | skipped: %s | " % (wl.label, wl.skipped)
                       + " | ".join("-" for _ in names[1:]) + " | - | - |")
            continue
        s = wl.summary
        row = [cell(s["allocators"][n], "median_wall_s", lambda x: "%.3f" % x) for n in names]
        kb = s.get("kmm_over_best")
        ratio = "x%.2f %s" % (kb["ratio"], kb["best"]) if kb else "-"
        goal = ("met" if kb["met"] else "**missed**") if kb else "-"
        out.append("| %s | %s | %s | %s |" % (wl.label, " | ".join(row), ratio, goal))
    out.append("")
    out.append("Peak RSS in MiB, the largest of the rounds (goal: kmm-malloc's within x%.1f of "
               "glibc's):" % RSS_GOAL)
    out.append("")
    out.append("| program | " + " | ".join(names) + " | kmm-malloc/glibc | goal |")
    out.append("| :-- | " + " | ".join("--:" for _ in names) + " | --: | :-- |")
    for wl in wls:
        if wl.skipped:
            out.append("| %s | skipped | " % wl.label + " | ".join("-" for _ in names[1:])
                       + " | - | - |")
            continue
        s = wl.summary
        row = [cell(s["allocators"][n], "max_rss_kib", lambda x: "%.1f" % (x / 1024))
               for n in names]
        kg = s.get("rss_kmm_over_glibc")
        ratio = "x%.2f" % kg["ratio"] if kg else "-"
        goal = ("met" if kg["met"] else "**missed**") if kg else "-"
        out.append("| %s | %s | %s | %s |" % (wl.label, " | ".join(row), ratio, goal))
    out.append("")
    out.append("What each row runs (programs_bench.py makes its input once, outside the timing):")
    out.append("")
    for wl in wls:
        out.append("- %s: %s%s." % (wl.label, wl.does,
                                    " (%s)" % wl.version if wl.version else ""))
    out.append("")
    out.append("Peak RSS is the largest `ru_maxrss` of the program's processes (`wait4`: the "
               "process and every child it waited for; git: the largest over its steps); "
               "redis-server's is its `VmHWM` just before it is stopped. Allocators "
               "(in a round, in turn, the order rotated from round to round):")
    out.append("")
    for a in allocs:
        if a["available"]:
            out.append("- %s: %s, %s" % (a["name"], a["version"], a["shown"]))
        else:
            out.append("- %s: %s" % (a["name"], a["note"]))
    problems = []
    for wl in wls:
        problems += ["- %s: %s" % (wl.label, n) for n in wl.notes]
        if wl.skipped:
            continue
        for name, v in wl.summary["allocators"].items():
            for r in v.get("runs", []):
                if r["error"]:
                    problems.append("- **%s under %s, round %d: FAILED**: %s"
                                    % (wl.label, name, r["round"], r["error"]))
                elif r["mismatch"]:
                    problems.append("- **%s under %s, round %d: DIFFERS**: %s"
                                    % (wl.label, name, r["round"], r["mismatch"]))
    out.append("")
    if problems:
        out.append("Notes and checks:")
        out.append("")
        out += problems
    else:
        out.append("Checks: every run printed what glibc's printed.")
    out.append("")
    out.append("The whole run took %.0f s." % report["total_s"])
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Workloads: python (two rows), sqlite, git, gcc, redis. Environment: "
               "KMM_BENCH_JEMALLOC, KMM_BENCH_TCMALLOC, KMM_BENCH_MIMALLOC and "
               "KMM_BENCH_KMM_MALLOC name a .so to preload in place of the one found, or 'none' "
               "to leave it out. bench/PROGRAMS.md says more.")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="the build directory with libkmm-malloc.so (default: build)")
    ap.add_argument("--rounds", type=int, default=None,
                    help="rounds of every allocator on every workload (default 3; --quick: 1)")
    ap.add_argument("--only", default=None,
                    help="NAME[,NAME]: the workloads to run: python, sqlite, git, gcc, redis "
                         "(default: all; --quick: python,gcc)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    ap.add_argument("--quick", action="store_true",
                    help="a check that the bench works (under 20 s): 1 round, python and gcc, "
                         "small sizes; not a measurement")
    ap.add_argument("--timeout", type=float, default=180,
                    help="seconds one run may take before it is killed (default 180)")
    a = ap.parse_args()
    rounds = a.rounds if a.rounds is not None else (1 if a.quick else 3)
    if rounds < 1:
        ap.error("--rounds must be at least 1")
    wls = all_workloads(a.quick)
    keys = {w.key for w in wls}
    only = a.only if a.only is not None else ("python,gcc" if a.quick else ",".join(
        sorted(keys)))
    chosen = {k.strip() for k in only.split(",") if k.strip()}
    if chosen - keys:
        ap.error("--only: no workload %s (there are: %s)"
                 % (", ".join(sorted(chosen - keys)), ", ".join(sorted(keys))))
    wls = [w for w in wls if w.key in chosen]

    start = time.perf_counter()
    allocs = find_allocators(a.build)
    avail = [al for al in allocs if al["available"]]
    for al in allocs:
        log("%s: %s" % (al["name"], al["version"] if al["available"] else al["note"]))
    if not any(al["name"] == "kmm-malloc" for al in avail):
        log("kmm-malloc: %s: its column stays empty" % allocs[-1]["note"])
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu_model(),
                          "loadavg": " ".join("%.2f" % x for x in os.getloadavg())},
              "rounds": rounds, "quick": a.quick, "goals": {"wall_kmm_over_best": WALL_GOAL,
                                                             "rss_kmm_over_glibc": RSS_GOAL}}
    with tempfile.TemporaryDirectory(prefix="kmm-programs-") as tmp:
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        env = base_env(home)
        for wl in wls:
            wl.skipped = wl.missing()
            if wl.skipped:
                log("%s: skipped: %s" % (wl.label, wl.skipped))
                continue
            wl.dir = os.path.join(tmp, wl.label.split(" ")[0] + ("-m" if wl.key == "python"
                                                                 and not wl.pymalloc else ""))
            os.mkdir(wl.dir)
            wl.setup(wl.dir, env)
            wl.runs = {al["name"]: [] for al in avail}
        for rnd in range(rounds):
            order = avail[rnd % len(avail):] + avail[:rnd % len(avail)]
            for wl in wls:
                if wl.skipped:
                    continue
                for al in order:
                    try:
                        r = wl.run(al, env, wl.dir, a.timeout)
                    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
                        r = Run()
                        r.error = "%s: %s" % (type(e).__name__, e)
                    r.round = rnd + 1
                    if not r.error:
                        check_preload(r, r.stderr)
                    wl.runs[al["name"]].append(r)
                    log("round %d/%d %-28s %-10s %7.3f s %8.1f MiB%s"
                        % (rnd + 1, rounds, wl.label, al["name"], r.wall, r.rss_kib / 1024,
                           "  FAILED: " + r.error if r.error else ""))
    for wl in wls:
        if wl.skipped:
            continue
        ref = next((r for r in wl.runs.get("glibc", []) if not r.error), None)
        for name, rs in wl.runs.items():
            for r in rs:
                if not r.error and r is not ref:
                    if ref is None:
                        r.mismatch = "no run of glibc's to compare with"
                    else:
                        r.mismatch = wl.same(r, ref)
        wl.summary = summarize(wl, allocs, wl.runs)
    report["total_s"] = time.perf_counter() - start
    print(markdown(report, allocs, wls))
    if a.json:
        report["allocators"] = [{k: v for k, v in al.items() if k != "preload"}
                                for al in allocs]
        report["workloads"] = [{"name": wl.key, "label": wl.label, "does": wl.does,
                                "version": wl.version, "notes": wl.notes,
                                "command": getattr(wl, "command", ""),
                                "skipped": wl.skipped,
                                **({} if wl.skipped else wl.summary)} for wl in wls]
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    bad = any(not wl.skipped and v.get("status") in ("failed", "differs")
              for wl in wls for v in wl.summary["allocators"].values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
