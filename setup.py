"""Build gokernels: a C extension module plus the Go library it loads.

setuptools compiles pyext/*.c into gokernels._native (one per CPython version);
build_ext then runs `go build -buildmode=c-shared` on pyext/golib into
gokernels/libgokernels-go.so beside it (one per platform: it has no Python.h in
it). Building from source therefore needs Go; installing a wheel does not.

Cross-compiling (tools/wheels/build.sh builds aarch64 wheels on x86_64 this way):
set _PYTHON_HOST_PLATFORM=linux-aarch64 (CPython's own cross-build switch, which
also names the wheel's platform), CC and LDSHARED to a compiler for the target
(zig cc -target aarch64-linux-gnu.2.17), and CFLAGS=-I<include dir whose
pyconfig.h is the target's>. The extension's file name then carries the target's
triplet and `go build` gets the matching GOARCH.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from glob import glob

from setuptools import Extension, setup
from setuptools.command.build import build as _build
from setuptools.command.build_ext import build_ext as _build_ext

GO_MIN = (1, 26)
GO_LIBRARY = "libgokernels-go.so"
HERE = os.path.dirname(os.path.abspath(__file__))


class GoMissing(SystemExit):
    pass


def find_go():
    """Return the go command, or exit with one line saying what to install."""
    go = shutil.which(os.environ.get("GO", "go"))
    need = "gokernels: building from source needs Go %d.%d or newer on PATH (https://go.dev/dl/)" % GO_MIN
    if go is None:
        raise GoMissing(need + "; no 'go' command was found. Install Go, or install a gokernels wheel.")
    env = dict(os.environ, GOTOOLCHAIN="local")
    try:
        version = subprocess.run([go, "env", "GOVERSION"], env=env, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise GoMissing("%s; running '%s env GOVERSION' failed: %s" % (need, go, exc)) from None
    m = re.match(r"go(\d+)\.(\d+)", version.strip())
    if not m or (int(m.group(1)), int(m.group(2))) < GO_MIN:
        raise GoMissing("%s; found %s." % (need, version.strip() or "an unknown version"))
    return go


# machine (from _PYTHON_HOST_PLATFORM, as in "linux-aarch64") -> (GOARCH, multiarch triplet)
LINUX_TARGETS = {"x86_64": ("amd64", "x86_64-linux-gnu"), "aarch64": ("arm64", "aarch64-linux-gnu")}


def cross_target():
    """The Linux machine being cross-compiled for, or None for a native build."""
    host = os.environ.get("_PYTHON_HOST_PLATFORM", "")
    if not host.startswith("linux-"):
        return None
    machine = host[len("linux-") :]
    if machine not in LINUX_TARGETS:
        raise SystemExit("gokernels: cannot cross-compile for %r (known: %s)" % (host, ", ".join(LINUX_TARGETS)))
    native = sysconfig.get_config_var("MULTIARCH") or ""
    return None if native == LINUX_TARGETS[machine][1] else machine


class build(_build):
    """Checks for Go before anything else runs, so a build without it fails at once.

    Empties build/lib* first: bdist_wheel packs the whole of it, so a module
    deleted since the last build would otherwise still ship in the wheel.
    """

    def run(self):
        find_go()
        for path in {self.build_lib, self.build_platlib, self.build_purelib}:
            if path and os.path.isdir(path):
                shutil.rmtree(path)
        super().run()


class build_ext(_build_ext):
    """Builds the C extension, then the Go library into the same directory."""

    def get_ext_filename(self, ext_name):
        name = super().get_ext_filename(ext_name)
        target = cross_target()
        native = sysconfig.get_config_var("MULTIARCH")
        if target and native and native in name:  # .cpython-311-x86_64-linux-gnu.so -> ...-aarch64-linux-gnu.so
            name = name.replace(native, LINUX_TARGETS[target][1])
        return name

    def run(self):
        go = find_go()  # fail before compiling anything
        super().run()
        ext_path = self.get_ext_fullpath("gokernels._native")
        out = os.path.join(os.path.dirname(os.path.abspath(ext_path)), GO_LIBRARY)
        env = dict(os.environ, CGO_ENABLED="1", GOTOOLCHAIN="local")
        # No debug info in cgo's C objects: -ldflags=-s -w strips Go's, but a linker such as
        # zig's keeps the C objects' (and their build paths) unless they have none.
        env.setdefault("CGO_CFLAGS", "-O2 -g0")
        target = cross_target()
        if target:
            env.update(GOOS="linux", GOARCH=LINUX_TARGETS[target][0])
        cmd = [
            go,
            "build",
            "-buildmode=c-shared",
            "-trimpath",
            "-buildvcs=false",
            "-ldflags=-s -w",
            "-o",
            out,
            "./pyext/golib",
        ]
        self.announce("running " + " ".join(cmd), level=2)
        subprocess.run(cmd, cwd=HERE, env=env, check=True)
        header = os.path.splitext(out)[0] + ".h"
        if os.path.exists(header):  # cgo writes the exports' header; nothing uses it
            os.remove(header)


extra_link_args = []
if sys.platform == "darwin":
    extra_link_args = ["-undefined", "dynamic_lookup"]

setup(
    ext_modules=[
        Extension(
            "gokernels._native",
            sources=sorted(glob("pyext/*.c")),
            depends=glob("pyext/*.h") + glob("pyext/golib/*.h"),
            libraries=["dl", "pthread"] if sys.platform.startswith("linux") else [],
            # -g0: no debug info, so the module embeds no build or include paths
            extra_compile_args=["-O2", "-fvisibility=hidden", "-Wall", "-g0"],
            extra_link_args=extra_link_args,
        )
    ],
    cmdclass={"build": build, "build_ext": build_ext},
)
