/* count_doubles, count_doubles_bytes, count_doubles_parallel: the positions i
 * with s[i] == s[i+1] (Go: kernels/doubles, exports in golib/doubles.go). */
#include "gokernels.h"

/* The counters run at tens of GB/s: 4 MiB is about 100 us of work. */
#define DOUBLES_NOGIL_BYTES ((Py_ssize_t)1 << 22)

static int64_t (*go_count_runes)(int, const void *, int64_t);
static int64_t (*go_count_parallel)(int, const void *, int64_t, int64_t);
static int64_t (*go_count_utf8)(int, const void *, int64_t);

static PyObject *count_doubles(PyObject *module, PyObject *const *args,
                               Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"s"};
    PyObject *s;
    (void)module;
    if (gk_parse("count_doubles", args, nargs, kwnames, names, 1, 1, 1, &s) < 0)
        return NULL;
    if (!PyUnicode_Check(s))
        return gk_type_error("count_doubles", "s", "str", s);
    gk_str u;
    if (gk_get_str(s, &u) < 0)
        return NULL;
    GK_BIND(go_count_runes, "GkCountRunes");
    int64_t n;
    GK_MAYBE_NOGIL(u.length * u.kind >= DOUBLES_NOGIL_BYTES,
                   n = go_count_runes(u.kind, u.data, u.length));
    return PyLong_FromLongLong(n);
}

/* The UTF-8 bytes of a str: counted from its code points when it is not
 * ASCII (no encoding, no copy), by str.encode() when that must raise. */
static PyObject *count_str_utf8(gk_str *u, PyObject *s)
{
    GK_BIND(go_count_utf8, "GkCountUTF8");
    int64_t n;
    GK_MAYBE_NOGIL(u->length * u->kind >= GK_NOGIL_BYTES,
                   n = go_count_utf8(u->kind, u->data, u->length));
    if (n < 0) {
        /* A surrogate: let CPython raise its own UnicodeEncodeError. */
        PyObject *b = PyUnicode_AsUTF8String(s);
        if (b == NULL)
            return NULL;
        Py_DECREF(b);
        PyErr_SetString(PyExc_SystemError,
                        "count_doubles_bytes: surrogate found but str encoded");
        return NULL;
    }
    return PyLong_FromLongLong(n);
}

static PyObject *count_doubles_bytes(PyObject *module, PyObject *const *args,
                                     Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"x"};
    PyObject *x;
    (void)module;
    if (gk_parse("count_doubles_bytes", args, nargs, kwnames, names, 1, 1, 1, &x) < 0)
        return NULL;
    int64_t n;
    if (PyUnicode_Check(x)) {
        gk_str u;
        if (gk_get_str(x, &u) < 0)
            return NULL;
        if (!PyUnicode_IS_ASCII(x))
            return count_str_utf8(&u, x);
        GK_BIND(go_count_runes, "GkCountRunes");
        GK_MAYBE_NOGIL(u.length >= DOUBLES_NOGIL_BYTES,
                       n = go_count_runes(1, u.data, u.length));
        return PyLong_FromLongLong(n);
    }
    if (!PyObject_CheckBuffer(x))
        return gk_type_error("count_doubles_bytes", "x",
                             "str or a bytes-like object", x);
    Py_buffer view;
    if (gk_get_buffer("count_doubles_bytes", "x", -1, x, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    if (GK_UNLIKELY(!gk_ready || !go_count_runes) &&
        gk_bind((void **)&go_count_runes, "GkCountRunes") < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    /* The buffer stays acquired while the GIL is released, so a bytearray
     * cannot be resized under the kernel (it raises BufferError instead). */
    GK_MAYBE_NOGIL(view.len >= DOUBLES_NOGIL_BYTES,
                   n = go_count_runes(1, view.buf, view.len));
    PyBuffer_Release(&view);
    return PyLong_FromLongLong(n);
}

static PyObject *count_doubles_parallel(PyObject *module, PyObject *const *args,
                                        Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"s", "workers"};
    PyObject *a[2];
    (void)module;
    if (gk_parse("count_doubles_parallel", args, nargs, kwnames, names, 2, 2, 1, a) < 0)
        return NULL;
    if (!PyUnicode_Check(a[0]))
        return gk_type_error("count_doubles_parallel", "s", "str", a[0]);
    long long workers;
    if (gk_parse_workers("count_doubles_parallel", a[1], &workers) < 0)
        return NULL;
    gk_str u;
    if (gk_get_str(a[0], &u) < 0)
        return NULL;
    GK_BIND(go_count_parallel, "GkCountParallel");
    int64_t n;
    GK_MAYBE_NOGIL(u.length * u.kind >= DOUBLES_NOGIL_BYTES,
                   n = go_count_parallel(u.kind, u.data, u.length, workers));
    return PyLong_FromLongLong(n);
}

PyMethodDef gk_doubles_methods[] = {
    {"count_doubles", (PyCFunction)(void (*)(void))count_doubles,
     METH_FASTCALL | METH_KEYWORDS,
     "count_doubles($module, /, s)\n--\n\n"
     "Return the number of positions i with s[i] == s[i+1], over the code\n"
     "points of the str s (any str: NUL, lone surrogates, astral characters).\n"
     "Reads the str in place; releases the GIL on long input.\n\n"
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
     "Return count_doubles(s), computed by up to `workers` threads (default:\n"
     "one per CPU) on contiguous pieces of s, with the GIL released. Short\n"
     "strings are counted on the calling thread."},
    {NULL, NULL, 0, NULL},
};
