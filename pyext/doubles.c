/* count_doubles, count_doubles_bytes, count_doubles_parallel: the positions i
 * with s[i] == s[i+1] (Go: kernels/doubles, exports in golib/doubles.go).
 *
 * Three sizes of input, three ways:
 * - tiny (under DOUBLES_C_BYTES): counted here, in C. Crossing into Go costs
 *   about 850 instructions of Go runtime per call (cgocallback, the exit from
 *   and entry to the "syscall" state that a C caller is in, a receive on the
 *   runtime's init channel), several times the work of a short loop;
 * - long: one Go call, with the GIL released from DOUBLES_NOGIL_BYTES;
 * - huge (over DOUBLES_CHUNK_BYTES): Go calls on pieces, re-taking the GIL
 *   between pieces to run signal handlers, so that Ctrl-C interrupts a count
 *   of gigabytes within milliseconds.
 *
 * Free-threading: no statics (the Go functions are the loader's gk_go). */
#include "gokernels.h"

#include <string.h>

/* The counters run at tens of GB/s: 4 MiB is about 100 us of work. */
#define DOUBLES_NOGIL_BYTES ((Py_ssize_t)1 << 22)

/* Below this many bytes the C loop (eight bytes in a few instructions) beats
 * the Go crossing (about 60 ns, 1,100 instructions) plus Go's vector loop. */
#define DOUBLES_C_BYTES ((Py_ssize_t)256)

/* 64 MiB: a few milliseconds from memory, so signals wait at most that long. */
#define DOUBLES_CHUNK_BYTES ((Py_ssize_t)1 << 26)

/* Equal neighbours among n units of the given width, in C. Bytes go eight
 * at a time: XOR a word with the word one byte on, mark each zero byte
 * exactly (no borrow between bytes), and add up the marks with a multiply. */
static int64_t count_c(int kind, const void *data, Py_ssize_t n)
{
    int64_t c = 0;
    Py_ssize_t i;
    if (kind == 1) {
        const uint8_t *p = (const uint8_t *)data;
        const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
        for (i = 0; i + 9 <= n; i += 8) {
            uint64_t a, b;
            memcpy(&a, p + i, 8);
            memcpy(&b, p + i + 1, 8);
            uint64_t x = a ^ b;
            uint64_t zero = ~(((x & low7) + low7) | x | low7); /* bit 7 of each zero byte */
            c += (int64_t)(((zero >> 7) * 0x0101010101010101ULL) >> 56);
        }
        for (i++; i < n; i++) /* the pairs from i on */
            c += p[i - 1] == p[i];
    } else if (kind == 2) {
        const uint16_t *p = (const uint16_t *)data;
        for (i = 1; i < n; i++)
            c += p[i - 1] == p[i];
    } else {
        const uint32_t *p = (const uint32_t *)data;
        for (i = 1; i < n; i++)
            c += p[i - 1] == p[i];
    }
    return c;
}

static uint32_t unit_at(int kind, const void *data, Py_ssize_t i)
{
    if (kind == 1)
        return ((const uint8_t *)data)[i];
    if (kind == 2)
        return ((const uint16_t *)data)[i];
    return ((const uint32_t *)data)[i];
}

enum { COUNT_UNITS, COUNT_PARALLEL, COUNT_UTF8 };

static int64_t count_go(int how, int kind, const void *data, Py_ssize_t n, long long workers)
{
    switch (how) {
    case COUNT_UNITS:
        return gk_go.GkCountUnits(kind, (void *)data, n);
    case COUNT_PARALLEL:
        return gk_go.GkCountParallel(kind, (void *)data, n, workers);
    default: {
        int64_t c;
        return gk_go.GkCountUTF8(kind, (void *)data, n, &c) == GK_OK ? c : -1; /* -1: a surrogate */
    }
    }
}

/* Counts n units (n * kind >= DOUBLES_CHUNK_BYTES) in disjoint pieces with the
 * GIL released, adding the pair that straddles each seam, and runs signal
 * handlers between pieces. Returns the count, -1 with an exception set when a
 * handler raised, or -2 when COUNT_UTF8 met a surrogate. */
static int64_t count_huge(int how, int kind, const char *data, Py_ssize_t n, long long workers)
{
    const Py_ssize_t step = DOUBLES_CHUNK_BYTES / kind;
    int64_t total = 0;
    for (Py_ssize_t lo = 0; lo < n; lo += step) {
        Py_ssize_t len = n - lo < step ? n - lo : step;
        int64_t c;
        Py_BEGIN_ALLOW_THREADS
        c = count_go(how, kind, data + lo * kind, len, workers);
        Py_END_ALLOW_THREADS
        if (c < 0)
            return -2;
        total += c;
        if (lo + len < n) {
            uint32_t a = unit_at(kind, data, lo + len - 1), b = unit_at(kind, data, lo + len);
            /* In UTF-8 two characters meet in an equal byte pair only when
             * they are the same ASCII character. */
            total += a == b && (how != COUNT_UTF8 || a < 0x80);
            if (PyErr_CheckSignals() < 0)
                return -1;
        }
    }
    return total;
}

/* The whole count of n units: in C, in one Go call, or in pieces. Returns the
 * count, -1 with an exception set, or -2 on a surrogate (COUNT_UTF8). */
static int64_t count_any(int how, int kind, const void *data, Py_ssize_t n, long long workers)
{
    Py_ssize_t bytes = n * kind;
    if (bytes < DOUBLES_C_BYTES && how != COUNT_UTF8)
        return count_c(kind, data, n);
    if (bytes >= DOUBLES_CHUNK_BYTES)
        return count_huge(how, kind, (const char *)data, n, workers);
    int64_t c;
    GK_MAYBE_NOGIL(bytes >= (how == COUNT_UTF8 ? GK_NOGIL_BYTES : DOUBLES_NOGIL_BYTES),
                   c = count_go(how, kind, data, n, workers));
    return c < 0 ? -2 : c;
}

static PyObject *count_result(int64_t n)
{
    return n < 0 ? NULL : PyLong_FromLongLong(n);
}

static const gk_sig count_doubles_sig = GK_SIG("count_doubles", 1, 1, "s");
static const gk_sig count_doubles_bytes_sig = GK_SIG("count_doubles_bytes", 1, 1, "x");
static const gk_sig count_doubles_parallel_sig = GK_SIG("count_doubles_parallel", 2, 1, "s", "workers");

static PyObject *count_doubles(PyObject *module, PyObject *const *args,
                               Py_ssize_t nargs, PyObject *kwnames)
{
    const gk_sig *sig = &count_doubles_sig;
    PyObject *s;
    (void)module;
    if (gk_parse(sig, args, nargs, kwnames, &s) < 0)
        return NULL;
    if (!PyUnicode_Check(s))
        return gk_type_error(sig->name, "s", "str", s);
    gk_str u;
    if (gk_get_str(s, &u) < 0)
        return NULL;
    /* Loaded even when C counts: the first call loads Go as for any input,
     * and a child forked after that raises the same RuntimeError. */
    GK_LOAD();
    return count_result(count_any(COUNT_UNITS, u.kind, u.data, u.length, 1));
}

/* The UTF-8 bytes of a non-ASCII str: counted from its code points (no
 * encoding, no copy), or by str.encode() when that must raise. */
static PyObject *count_str_utf8(gk_str *u, PyObject *s)
{
    GK_LOAD();
    int64_t n = count_any(COUNT_UTF8, u->kind, u->data, u->length, 1);
    if (n == -2) {
        /* A surrogate: let CPython raise its own UnicodeEncodeError. */
        PyObject *b = PyUnicode_AsUTF8String(s);
        if (b == NULL)
            return NULL;
        Py_DECREF(b);
        PyErr_SetString(PyExc_SystemError,
                        "count_doubles_bytes: surrogate found but str encoded");
        return NULL;
    }
    return count_result(n);
}

static PyObject *count_doubles_bytes(PyObject *module, PyObject *const *args,
                                     Py_ssize_t nargs, PyObject *kwnames)
{
    const gk_sig *sig = &count_doubles_bytes_sig;
    PyObject *x;
    (void)module;
    if (gk_parse(sig, args, nargs, kwnames, &x) < 0)
        return NULL;
    if (PyUnicode_Check(x)) {
        gk_str u;
        if (gk_get_str(x, &u) < 0)
            return NULL;
        if (!PyUnicode_IS_ASCII(x))
            return count_str_utf8(&u, x);
        GK_LOAD();
        return count_result(count_any(COUNT_UNITS, 1, u.data, u.length, 1));
    }
    if (PyBytes_CheckExact(x)) {
        /* bytes is immutable: no buffer to acquire, as for a str. */
        GK_LOAD();
        return count_result(count_any(COUNT_UNITS, 1, PyBytes_AS_STRING(x),
                                      PyBytes_GET_SIZE(x), 1));
    }
    if (!PyObject_CheckBuffer(x))
        return gk_type_error(sig->name, "x", "str or a bytes-like object", x);
    Py_buffer view;
    if (gk_get_buffer(sig->name, "x", -1, x, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    GK_LOAD_OR({
        PyBuffer_Release(&view);
        return NULL;
    });
    /* The buffer stays acquired while the GIL is released, so a bytearray
     * cannot be resized under the kernel (it raises BufferError instead). */
    int64_t n = count_any(COUNT_UNITS, 1, view.buf, view.len, 1);
    PyBuffer_Release(&view);
    return count_result(n);
}

static PyObject *count_doubles_parallel(PyObject *module, PyObject *const *args,
                                        Py_ssize_t nargs, PyObject *kwnames)
{
    const gk_sig *sig = &count_doubles_parallel_sig;
    PyObject *a[2];
    (void)module;
    if (gk_parse(sig, args, nargs, kwnames, a) < 0)
        return NULL;
    if (!PyUnicode_Check(a[0]))
        return gk_type_error(sig->name, "s", "str", a[0]);
    long long workers;
    if (gk_parse_workers(sig->name, a[1], &workers) < 0)
        return NULL;
    gk_str u;
    if (gk_get_str(a[0], &u) < 0)
        return NULL;
    GK_LOAD();
    return count_result(count_any(COUNT_PARALLEL, u.kind, u.data, u.length, workers));
}

PyMethodDef gk_doubles_methods[] = {
    {"count_doubles", (PyCFunction)(void (*)(void))count_doubles,
     METH_FASTCALL | METH_KEYWORDS,
     "count_doubles($module, /, s)\n--\n\n"
     "Return the number of positions i with s[i] == s[i+1], over the code\n"
     "points of the str s (any str: NUL, lone surrogates, astral characters).\n"
     "Reads the str in place; releases the GIL on long input, and answers\n"
     "Ctrl-C within milliseconds on input of gigabytes.\n\n"
     "Same as sum(a == b for a, b in zip(s, s[1:]))."},
    {"count_doubles_bytes", (PyCFunction)(void (*)(void))count_doubles_bytes,
     METH_FASTCALL | METH_KEYWORDS,
     "count_doubles_bytes($module, /, x)\n--\n\n"
     "Return the number of positions i with b[i] == b[i+1], where b is the\n"
     "bytes of a bytes-like object x (bytes, bytearray, memoryview, any\n"
     "C-contiguous buffer), or x.encode() when x is a str (a lone surrogate\n"
     "raises UnicodeEncodeError, as str.encode() does). No copy is made."},
    {"count_doubles_parallel", (PyCFunction)(void (*)(void))count_doubles_parallel,
     METH_FASTCALL | METH_KEYWORDS,
     "count_doubles_parallel($module, /, s, workers=None)\n--\n\n"
     "Return count_doubles(s), computed by the calling thread and up to\n"
     "`workers` - 1 helper threads (default: one per CPU) on 256 KiB pieces\n"
     "of s, with the GIL released on long input. Below 4 MiB of storage it\n"
     "counts on the calling thread alone: never slower than count_doubles."},
    {NULL, NULL, 0, NULL},
};
