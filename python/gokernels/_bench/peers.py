"""The articles' compiled peers, prepared at benchmark time: numba, a Cython
build of the count-doubles byte loop, Apache DataSketches' HLL, the articles'
Rust kernels (benchmarks/rust, a PyO3 crate) and `lzma_pyo3` (the PyO3 build of
the Rust lz-str crate that article 1 wrapped, published as hmt-lzma-pyo3).

Each getter returns (function, None) when the peer can run, or (None, reason)
when it cannot (not installed, no compiler, ...), so that a missing peer is
reported as missing instead of silently dropped. The pytest-benchmark suite in
benchmarks/ uses the same getters.
"""

import atexit
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Tuple

Peer = Tuple[Optional[Callable[..., Any]], Optional[str]]

# The one copy of the Cython peer's source: the CLI and benchmarks/ build it
# at run time (an installed package has no tools/ directory).
CYTHON_PYX = """\
# cython: language_level=3, boundscheck=False, wraparound=False
# The count-doubles byte loop in Cython, as the rust-python-example article
# compared it: a peer for `gokernels bench` and benchmarks/test_bench_doubles.py,
# built at benchmark time (gokernels._bench.peers.build_cython).


def count_doubles_bytes(bytes val):
    \"\"\"Positions i with val[i] == val[i + 1].\"\"\"
    cdef const unsigned char* p = val
    cdef Py_ssize_t i, n = len(val)
    cdef Py_ssize_t total = 0
    for i in range(n - 1):
        if p[i] == p[i + 1]:
            total += 1
    return total
"""

HLL_LG_K = 12  # 4096 buckets: about 1.6% relative error in 2 KB (HLL_4)


def _no_wheel(pip_name: str) -> Optional[str]:
    """Why `pip install 'gokernels[bench]'` leaves a peer out on this Python
    (pyproject.toml's markers), or None."""
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    if pip_name == "datasketches" and sys.version_info >= (3, 14):
        return "no wheel for Python %d.%d" % sys.version_info[:2]
    if free_threaded and pip_name in ("hmt-lzma-pyo3", "datasketches", "numba", "duckdb"):
        return "no wheel for free-threaded Python %d.%d" % sys.version_info[:2]
    return None


def _import_error(package: str, pip_name: str, exc: BaseException) -> str:
    if isinstance(exc, ImportError) and getattr(exc, "name", None) == package:
        why = _no_wheel(pip_name)
        if why:
            return "%s is not installed: %s (pip install %s builds it from source)" % (package, why, pip_name)
        return "%s is not installed (pip install %s, or pip install 'gokernels[bench]')" % (package, pip_name)
    return "%s cannot be imported: %s" % (package, _one_line(exc))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return "%s: %s" % (type(exc).__name__, text[0] if text else "")


# ---- numba ----


@lru_cache(maxsize=None)
def numba_count_doubles() -> Peer:
    """The count-doubles loop under numba's @njit, over the bytes of a bytes
    object (np.frombuffer, no copy). Compiled here, once, so that the timed
    calls never include the JIT."""
    try:
        import numpy as np
    except Exception as e:  # any import failure makes the peer missing
        return None, _import_error("numpy", "numpy", e)
    try:
        from numba import njit
    except Exception as e:  # e.g. "Numba needs NumPy 2.3 or less"
        return None, _import_error("numba", "numba", e)

    def loop(a):
        total = 0
        for i in range(a.shape[0] - 1):
            if a[i] == a[i + 1]:
                total += 1
        return total

    try:
        kernel = njit(loop)
        kernel(np.frombuffer(b"aab", dtype=np.uint8))  # compile now
    except Exception as e:
        return None, "numba could not compile the loop: " + _one_line(e)

    def count_doubles_numba(b: bytes) -> int:
        return int(kernel(np.frombuffer(b, dtype=np.uint8)))

    return count_doubles_numba, None


# ---- Cython ----

_BUILD_SCRIPT = r"""
import os, sys
from Cython.Build import cythonize
from setuptools import Extension
from setuptools.dist import Distribution
pyx, name, out = sys.argv[1:4]
ext = cythonize([Extension(name, [pyx])], build_dir=os.path.join(out, "c"), quiet=True, language_level=3)
dist = Distribution({"ext_modules": ext, "script_name": "build", "script_args": ["build_ext"]})
cmd = dist.get_command_obj("build_ext")
cmd.build_lib = out
cmd.build_temp = os.path.join(out, "tmp")
cmd.ensure_finalized()
cmd.run()
"""


def build_cython(source: str, build_dir: str, name: str = "gokernels_bench_cython") -> Tuple[Any, Optional[str]]:
    """Cythonize and compile `source` (the text of a .pyx) in build_dir with
    the interpreter's C compiler, and import it. Returns (module, None) or
    (None, reason). The build runs in a child process, so its compiler output
    stays out of the benchmark's."""
    for package, why in (("Cython", ""), ("setuptools", ", needed to build the Cython module")):
        try:
            importlib.import_module(package)  # not `import`: neither has type stubs
        except Exception as e:
            return None, _import_error(package, package, e) + why
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(cc):
        return None, "no C compiler: %s is not on PATH" % cc
    include = sysconfig.get_paths().get("include") or ""
    if not os.path.exists(os.path.join(include, "Python.h")):
        return None, "Python.h not found in %s (install the Python development headers)" % include
    os.makedirs(build_dir, exist_ok=True)
    pyx = os.path.join(build_dir, name + ".pyx")
    with open(pyx, "w") as f:
        f.write(source)
    try:
        r = subprocess.run(
            [sys.executable, "-c", _BUILD_SCRIPT, pyx, name, build_dir],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=build_dir,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "Cython build failed: " + _one_line(e)
    if r.returncode != 0:
        lines = [ln for ln in (r.stderr + r.stdout).splitlines() if ln.strip()]
        errors = [ln for ln in lines if "rror" in ln]
        return None, "Cython build failed: " + ((errors or lines or ["exit status %d" % r.returncode])[-1].strip())
    built = glob.glob(os.path.join(build_dir, name + ".*.so")) + glob.glob(os.path.join(build_dir, name + ".*.pyd"))
    if not built:
        return None, "Cython build produced no extension module in " + build_dir
    spec = importlib.util.spec_from_file_location(name, built[0])
    if spec is None or spec.loader is None:
        return None, "cannot load the Cython module " + built[0]
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        return None, "cannot import the Cython module: " + _one_line(e)
    return module, None


@lru_cache(maxsize=None)
def cython_count_doubles() -> Peer:
    """The Cython byte loop, built from CYTHON_PYX in a temporary directory
    (removed at exit)."""
    build_dir = tempfile.mkdtemp(prefix="gokernels-bench-cython-")
    atexit.register(shutil.rmtree, build_dir, True)
    module, why = build_cython(CYTHON_PYX, build_dir)
    if module is None:
        return None, why
    return module.count_doubles_bytes, None


# ---- Apache DataSketches ----


@lru_cache(maxsize=None)
def datasketches_hll() -> Peer:
    """HLL from Apache DataSketches, fed one item at a time from a Python loop,
    as a user of the package would write it."""
    try:
        datasketches = importlib.import_module("datasketches")  # not `import`: it has no type stubs
    except Exception as e:
        return None, _import_error("datasketches", "datasketches", e)
    hll_sketch, tgt_hll_type = datasketches.hll_sketch, datasketches.tgt_hll_type

    def count_hll(items) -> float:
        sketch = hll_sketch(HLL_LG_K, tgt_hll_type.HLL_4)
        for item in items:
            sketch.update(item)
        return sketch.get_estimate()

    return count_hll, None


# ---- the articles' Rust kernels (benchmarks/rust) ----

RUST_MODULE = "gokernels_rust_peers"
RUST_INSTALL = "in a gokernels checkout: make rust-peers (needs cargo)"


def _rust_crate() -> Optional[str]:
    """benchmarks/rust of a gokernels checkout: $GOKERNELS_RUST_CRATE, the
    current directory's, or the one beside an in-place or editable install."""
    import gokernels

    here = os.path.dirname(os.path.abspath(gokernels.__file__))
    candidates = [
        os.environ.get("GOKERNELS_RUST_CRATE", ""),
        os.path.join(os.getcwd(), "benchmarks", "rust"),
        os.path.join(here, "..", "..", "benchmarks", "rust"),
    ]
    for c in candidates:
        if c and os.path.isfile(os.path.join(c, "Cargo.toml")) and os.path.isfile(os.path.join(c, "src", "lib.rs")):
            return os.path.abspath(c)
    return None


def _load_extension(name: str, path: str) -> Any:
    from importlib.machinery import ExtensionFileLoader

    loader = ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    if spec is None:
        raise ImportError("cannot load " + path)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    sys.modules[name] = module
    return module


def build_rust(crate: str, note: Callable[[str], None] = lambda s: None) -> Tuple[Any, Optional[str]]:
    """cargo build --release of the crate for this interpreter (PYO3_PYTHON),
    in crate/target/gokernels-bench-<python tag>/, then import the library.
    Returns (module, None) or (None, reason)."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return None, "the articles' Rust kernels are not built, and cargo is not on PATH to build them (%s)" % (
            RUST_INSTALL
        )
    tag = sys.implementation.cache_tag + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else "")
    target = os.path.join(crate, "target", "gokernels-bench-" + tag)
    note("building the articles' Rust kernels (cargo build --release, a minute or more the first time)...")
    env = dict(os.environ, PYO3_PYTHON=sys.executable)
    try:
        r = subprocess.run(
            [cargo, "build", "--release", "--quiet", "--manifest-path", os.path.join(crate, "Cargo.toml")]
            + ["--target-dir", target],
            capture_output=True,
            text=True,
            timeout=1800,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "cargo build of the Rust kernels failed: " + _one_line(e)
    if r.returncode != 0:
        lines = [ln for ln in (r.stderr + r.stdout).splitlines() if ln.strip()]
        return None, "cargo build of the Rust kernels failed: " + (lines[0] if lines else "exit %d" % r.returncode)
    for lib in ("lib%s.so" % RUST_MODULE, "lib%s.dylib" % RUST_MODULE):
        path = os.path.join(target, "release", lib)
        if os.path.exists(path):
            try:
                return _load_extension(RUST_MODULE, path), None
            except Exception as e:
                return None, "cannot import the Rust kernels built in %s: %s" % (target, _one_line(e))
    return None, "cargo built no library in " + os.path.join(target, "release")


@lru_cache(maxsize=None)
def rust_kernels() -> Tuple[Any, Optional[str]]:
    """The articles' Rust kernels: the installed module (make rust-peers), or
    (after allow_build) a build of a checkout's benchmarks/rust when cargo is
    there, or (None, reason naming the command that installs it)."""
    try:
        return importlib.import_module(RUST_MODULE), None
    except ImportError as e:
        if getattr(e, "name", None) != RUST_MODULE:
            return None, "the Rust kernels cannot be imported: " + _one_line(e)
    crate = _rust_crate() if _NOTE else None
    if crate is None:
        return None, "the articles' Rust kernels are not built (%s)" % RUST_INSTALL
    return build_rust(crate, _NOTE[0])


# Set by `gokernels bench` only: the pytest suite uses what `make rust-peers` installed
# and never starts a cargo build of its own.
_NOTE: List[Callable[[str], None]] = []


def allow_build(note: Callable[[str], None]) -> None:
    """Lets rust_kernels() build a checkout's crate, saying so through note
    (the CLI's progress line)."""
    _NOTE[:] = [note]


def rust(name: str) -> Peer:
    """One function of the Rust kernels, or (None, reason)."""
    module, why = rust_kernels()
    if module is None:
        return None, why
    fn = getattr(module, name, None)
    if fn is None:
        return None, "the Rust kernels have no %s (rebuild: %s)" % (name, RUST_INSTALL)
    return fn, None


@lru_cache(maxsize=None)
def lzma_pyo3() -> Tuple[Any, Optional[str]]:
    """Article 1's published wrapper of the Rust lz-str crate: the module
    lzma_pyo3 with compressToBase64/decompressFromBase64."""
    try:
        module = importlib.import_module("lzma_pyo3")
    except Exception as e:
        return None, _import_error("lzma_pyo3", "hmt-lzma-pyo3", e)
    return module, None


# ---- versions, for the results ----

PEER_DISTRIBUTIONS = (
    "numpy",
    "numba",
    "Cython",
    "datasketches",
    "lzstring",
    "hmt-lzma-pyo3",
    "polars",
    "duckdb",
    "pyarrow",
    "matplotlib",
    "gokernels-rust-peers",
)


def versions() -> Dict[str, Optional[str]]:
    """Installed versions of the peers (None when not installed)."""
    from importlib import metadata

    out: Dict[str, Optional[str]] = {}
    for dist in PEER_DISTRIBUTIONS:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    if out.get("gokernels-rust-peers") is None and RUST_MODULE in sys.modules:
        out["gokernels-rust-peers"] = "built from benchmarks/rust"
    return out


def go_version() -> Optional[str]:
    """The Go release that built gokernels' Go library, read from the build
    information Go embeds in every binary (no Go toolchain needed)."""
    import gokernels

    path = os.path.join(os.path.dirname(os.path.abspath(gokernels.__file__)), "libgokernels-go.so")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    i = data.find(b"\xff Go buildinf:")
    if i >= 0 and len(data) > i + 33 and data[i + 15] & 2:  # Go 1.18+: inline, length-prefixed strings
        n, shift, j = 0, 0, i + 32
        while j < len(data):
            b = data[j]
            n |= (b & 0x7F) << shift
            j += 1
            if not b & 0x80:
                break
            shift += 7
        text = data[j : j + n].decode("ascii", "replace")
        if text.startswith("go"):
            return text
    m = re.search(rb"go1\.\d+(?:\.\d+)?", data)
    return m.group().decode() if m else None
