"""The Go runtime's start needs memory, threads and a well-formed environment; without them it used to abort
the process (issue 11). Now the first Go-backed call raises a Python exception that names the limit or the
variable, the interpreter stays usable (list_sum is C only), later calls raise the same error, and the process
exits normally. Each case runs in a fresh child process with its limits set in preexec_fn."""

import os
import resource
import shutil
import subprocess
import sys
import textwrap

import pytest

import gokernels

MiB = 1 << 20
NEEDS = gokernels._native._runtime_needs()  # same environment and CPUs as the children below

# The child calls a Go-backed kernel twice, checks the error both times, then uses list_sum.
CHILD = """
import gokernels
errors = []
for _ in range(2):
    try:
        gokernels.count_doubles("aab")
    except Exception as exc:
        errors.append((type(exc).__name__, str(exc)))
    else:
        errors.append(("ok", ""))
assert gokernels.list_sum([1, 2, 3]) == 6
assert errors[0] == errors[1], errors
print(errors[0][0])
print(errors[0][1])
"""


def run(code=CHILD, limits=(), env=None, prelude=""):
    def preexec():
        for which, value in limits:
            resource.setrlimit(which, (value, value))

    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(prelude) + textwrap.dedent(code)],
        preexec_fn=preexec,
        env=dict(os.environ, **(env or {})),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, "child died (%d): %s%s" % (r.returncode, r.stdout, r.stderr[-2000:])
    kind, message = (r.stdout.split("\n", 1) + [""])[:2]
    assert "fatal error" not in r.stderr and "runtime/cgo" not in r.stderr, r.stderr
    return kind, message.strip()


@pytest.mark.parametrize("mib", [512, 800, 1200, 1500])
def test_address_space_limit_raises_memory_error(mib):
    # 512 and 800 MiB are the issue's; 1200-1500 MiB used to abort too (Go's own reservations fit, then a
    # glibc arena or a thread stack takes the space Go needed next).
    kind, message = run(limits=[(resource.RLIMIT_AS, mib * MiB)])
    assert kind == "MemoryError", message
    assert "RLIMIT_AS" in message and "ulimit -v" in message and "%d MiB" % mib in message


def _child_usage():
    """What a child's Python uses before the Go runtime starts (VmSize, VmData in bytes): about 12 MiB of
    address space with the GIL, about 1 GiB on a free-threaded build, where mimalloc reserves its arenas."""
    code = "import gokernels, re; s = open('/proc/self/status').read(); "
    code += "print(*(int(re.search(k + r':\\s+(\\d+)', s).group(1)) * 1024 for k in ('VmSize', 'VmData')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    size, data = map(int, out.stdout.split())
    return {"address_space": size, "data": data}


def test_address_space_just_above_the_need_works():
    # What the check asks for is enough: the same call under need + what the child's Python holds + 64 MiB works.
    limit = NEEDS["address_space"] + _child_usage()["address_space"] + 64 * MiB
    kind, message = run(limits=[(resource.RLIMIT_AS, limit)])
    assert kind == "ok", message


def test_data_limit_raises_memory_error():
    kind, message = run(limits=[(resource.RLIMIT_DATA, 64 * MiB)])
    assert kind == "MemoryError", message
    assert "RLIMIT_DATA" in message and "64 MiB" in message


def test_data_limit_above_the_need_works():
    kind, message = run(limits=[(resource.RLIMIT_DATA, NEEDS["data"] + _child_usage()["data"] + 32 * MiB)])
    assert kind == "ok", message


def _threads_of_uid(uid):
    n = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/status" % pid) as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        if int(status["Uid"].split()[0]) == uid:
            n += int(status["Threads"])
    return n


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc (Linux)")
def as_user(uid, nproc):
    """A child's prelude: at most nproc threads for uid, then become uid. gokernels (and what it
    imports) loads first, while /root, where the interpreter lives, is still readable; importing
    starts no Go thread, so the limit still applies to the runtime's start."""
    return (
        "import os, resource, gokernels\n"
        "resource.setrlimit(resource.RLIMIT_NPROC, (%d, %d))\n"
        "os.setgroups([]); os.setgid(%d); os.setuid(%d)\n" % (nproc, nproc, uid, uid)
    )


@pytest.mark.parametrize("spare", [0, 3])
def test_thread_limit_raises_runtime_error(spare):
    """`ulimit -u` counts every thread of the real user; root is exempt, so as root the child switches to a
    uid of its own after Python has started (a non-root user cannot run this interpreter from /root)."""
    if os.geteuid() == 0:
        uid = 60000 + os.getpid() % 5000
        limit = 1 + spare  # the child itself, plus `spare` threads: fewer than the runtime starts
        kind, message = run(prelude=as_user(uid, limit))
    else:
        limit = _threads_of_uid(os.getuid()) + 1 + spare
        kind, message = run(limits=[(resource.RLIMIT_NPROC, limit)])
    assert kind == "RuntimeError", message
    assert "RLIMIT_NPROC" in message and "ulimit -u" in message and "threads" in message


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the child as a user of its own")
def test_thread_limit_that_fits_works(tmp_path_factory):
    # The child loads the Go library after it became uid, which may not read the installed package
    # (under /root when Python is pyenv's): it imports a world-readable copy of the package instead.
    top = tmp_path_factory.mktemp("readable")
    os.chmod(top, 0o755)
    shutil.copytree(os.path.dirname(gokernels.__file__), top / "gokernels")
    for d, _, files in os.walk(top):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o755)
    parent = top.parent
    while str(parent) != parent.root:  # the temp dirs above it must be searchable
        os.chmod(parent, os.stat(parent).st_mode | 0o111)
        parent = parent.parent
    uid = 60000 + os.getpid() % 5000
    kind, message = run(prelude=as_user(uid, 1 + NEEDS["threads"]), env={"PYTHONPATH": str(top)})
    assert kind == "ok", message


# Go's runtime aborts at start on a GOMEMLIMIT it cannot parse (runtime.parseByteCount); GOGC, GOMAXPROCS,
# GODEBUG and GOTRACEBACK it ignores when malformed. Values it accepts must work (else Go would abort).
MALFORMED = ["1GB", "1gib", "1.5GiB", "1e9", "-1", " 1GiB", "1GiB ", "1_000", "KiB", "B", "1PiB", "0x10",
             "9223372036854775808", "8388608TiB", "10 MiB"]  # fmt: skip
ACCEPTED = ["", "off", "0", "100", "+5", "-0", "1B", "1KiB", "512MiB", "1GiB", "8388607TiB",
            "9223372036854775807", "0100MiB"]  # fmt: skip


@pytest.mark.parametrize("value", MALFORMED)
def test_malformed_gomemlimit_raises_import_error(value):
    kind, message = run(env={"GOMEMLIMIT": value})
    assert kind == "ImportError", message
    assert "GOMEMLIMIT=%s " % value.strip() in message or "GOMEMLIMIT=%s" % value in message
    assert "GiB" in message


@pytest.mark.parametrize("value", ACCEPTED)
def test_gomemlimit_that_go_accepts_works(value):
    assert run(env={"GOMEMLIMIT": value})[0] == "ok"


IGNORED = [
    ("GOGC", "abc"),
    ("GOGC", "-5"),
    ("GOMAXPROCS", "abc"),
    ("GOMAXPROCS", "0"),
    ("GODEBUG", "garbage"),
    ("GOTRACEBACK", "bogus"),
]


@pytest.mark.parametrize("var, value", IGNORED)
def test_variables_go_ignores_when_malformed_work(var, value):
    assert run(env={var: value})[0] == "ok"


def test_fixing_the_environment_lets_the_next_call_load():
    code = """
    import os, gokernels
    try:
        gokernels.count_doubles("aa")
    except ImportError as exc:
        assert "GOMEMLIMIT=1GB" in str(exc)
    os.environ["GOMEMLIMIT"] = "1GiB"
    assert gokernels.count_doubles("aa") == 1
    print("ok")
    """
    assert run(code, env={"GOMEMLIMIT": "1GB"})[0] == "ok"


def test_huge_gomaxprocs_raises_import_error():
    kind, message = run(env={"GOMAXPROCS": "100000"})
    assert kind == "ImportError" and "GOMAXPROCS=100000" in message and "4096" in message


def test_checks_read_the_environment_go_reads():
    """Go reads the environment block the process started with: a GOMEMLIMIT added later through os.environ
    is invisible to it (so it must not be refused), and a malformed one present at start is still what Go
    sees after os.environ grew (glibc then moved environ) and the copy was changed."""
    code = """
    import os, gokernels
    os.environ["GOMEMLIMIT"] = "1GB"  # added after start: Go does not see it
    print("ok" if gokernels.count_doubles("aa") == 1 else "wrong")
    print("")
    """
    assert run(code)[0] == "ok"
    code = """
    import os, gokernels
    os.environ["GK_NEW_VARIABLE"] = "1"  # glibc copies environ elsewhere
    os.environ["GOMEMLIMIT"] = "1GiB"  # changes the copy only: Go would still read 1GB
    try:
        gokernels.count_doubles("aa")
    except ImportError as exc:
        print("ImportError")
        print(exc)
    """
    kind, message = run(code, env={"GOMEMLIMIT": "1GB"})
    assert kind == "ImportError" and "GOMEMLIMIT=1GB" in message
