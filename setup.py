"""Build gokernels: a C extension module plus the Go library it loads.

setuptools compiles pyext/*.c into gokernels._native (one per CPython version);
build_ext then runs `go build -buildmode=c-shared` on pyext/golib into
gokernels/libgokernels-go.so beside it (one per platform: it has no Python.h in
it). Building from source therefore needs Go; installing a wheel does not.
"""

import os
import re
import shutil
import subprocess
import sys
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


class build(_build):
    """Checks for Go before anything else runs, so a build without it fails at once."""

    def run(self):
        find_go()
        super().run()


class build_ext(_build_ext):
    """Builds the C extension, then the Go library into the same directory."""

    def run(self):
        go = find_go()  # fail before compiling anything
        super().run()
        ext_path = self.get_ext_fullpath("gokernels._native")
        out = os.path.join(os.path.dirname(os.path.abspath(ext_path)), GO_LIBRARY)
        env = dict(os.environ, CGO_ENABLED="1", GOTOOLCHAIN="local")
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
            depends=glob("pyext/*.h"),
            libraries=["dl", "pthread"] if sys.platform.startswith("linux") else [],
            # -g0: no debug info, so the module embeds no build or include paths
            extra_compile_args=["-O2", "-fvisibility=hidden", "-Wall", "-g0"],
            extra_link_args=extra_link_args,
        )
    ],
    cmdclass={"build": build, "build_ext": build_ext},
)
