/* short_long(text) and random_string(n, alphabet, *, seed): the CFFI and
 * PyO3+rayon articles' small kernels (Go: kernels/text, golib/text.go). */
#include "gokernels.h"

/* random_string's default alphabet, string.ascii_letters (kept as C bytes,
 * not a lazily made str: no static to race on without the GIL). */
static const char LETTERS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* From this many units random_string runs as a job (job.c) that Ctrl-C can
 * stop: about a millisecond of work. */
#define RANDOM_JOB_UNITS ((Py_ssize_t)1 << 20)

/* Fills n units of kind at dst (after GK_LOAD): in this thread, with the GIL
 * released, or as a job (on the main thread). Returns 0, or -1 with an exception (KeyboardInterrupt). */
static int random_fill(int kind, void *dst, Py_ssize_t n, const void *alphabet, Py_ssize_t alen, uint64_t seed,
                       int seeded)
{
    int as_job = gk_job_choose(n >= RANDOM_JOB_UNITS);
    if (as_job < 0)
        return -1;
    if (!as_job) {
        GK_MAYBE_NOGIL(n * kind >= GK_NOGIL_BYTES, gk_go.GkRandomString(kind, dst, n, (void *)alphabet, alen, seed, seeded));
        return 0;
    }
    gk_job job;
    if (gk_job_init(&job) < 0)
        return -1;
    int stopped = 0;
    gk_go.GkRandomStringStart(kind, dst, n, (void *)alphabet, alen, seed, seeded, &job, &stopped);
    return gk_job_wait(&job);
}

static const gk_sig short_long_sig = GK_SIG("short_long", 1, 1, "text");
static const gk_sig random_string_sig = GK_SIG("random_string", 2, 1, "n", "alphabet", "seed");

static PyObject *short_long(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    const gk_sig *sig = &short_long_sig;
    PyObject *s;
    (void)module;
    if (gk_parse(sig, args, nargs, kwnames, &s) < 0)
        return NULL;
    if (!PyUnicode_Check(s))
        return gk_type_error(sig->name, "text", "str", s);
    gk_str u;
    if (gk_get_str(s, &u) < 0)
        return NULL;
    GK_LOAD();
    int64_t total = 0, long_words;
    GK_MAYBE_NOGIL(u.length * u.kind >= GK_NOGIL_BYTES,
                   long_words = gk_go.GkShortLong(u.kind, (void *)u.data, u.length, &total));
    if (total == 0) {
        PyErr_Format(PyExc_ValueError,
                     "%s() argument 'text' has no countable word (only whitespace, 'the' and 'a')", sig->name);
        return NULL;
    }
    /* Both counts are below 2**53, so this is int / int true division. */
    return PyFloat_FromDouble((double)long_words / (double)total);
}

static PyObject *random_string(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    const gk_sig *sig = &random_string_sig;
    PyObject *a[3];
    (void)module;
    if (gk_parse(sig, args, nargs, kwnames, a) < 0)
        return NULL;
    static const gk_int_rule n_rule = {"n", "int", ">= 0", 0, PY_SSIZE_T_MAX, GK_ABOVE_OVERFLOW, NULL};
    long long nn;
    if (gk_parse_int(sig->name, &n_rule, a[0], &nn) < 0)
        return NULL;
    Py_ssize_t n = (Py_ssize_t)nn;
    PyObject *alphabet = a[1];
    if (alphabet != NULL && !PyUnicode_Check(alphabet))
        return gk_type_error(sig->name, "alphabet", "str", alphabet);
    uint64_t seed;
    int seeded;
    if (gk_parse_seed(sig->name, a[2], &seed, &seeded) < 0)
        return NULL;
    gk_str al = {1, LETTERS, (Py_ssize_t)sizeof LETTERS - 1};
    if (alphabet != NULL && gk_get_str(alphabet, &al) < 0)
        return NULL;
    if (al.length == 0) {
        PyErr_Format(PyExc_ValueError, "%s() argument 'alphabet' must not be empty", sig->name);
        return NULL;
    }
    GK_LOAD();
    if (alphabet == NULL || PyUnicode_IS_ASCII(alphabet)) {
        /* The common case: fill the new str in place. */
        PyObject *out = PyUnicode_New(n, 127);
        if (out == NULL)
            return NULL;
        if (random_fill(1, PyUnicode_DATA(out), n, al.data, al.length, seed, seeded) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        return out;
    }
    /* A wider alphabet: fill a buffer of its kind, then let CPython store the
     * result in the narrowest kind that holds what was drawn (a str must be
     * canonical). The buffer comes from libc, not PyMem: on a free-threaded
     * build PyMem is mimalloc, which keeps a freed block of this size mapped
     * (a 40M-char call kept 150 MiB resident); glibc unmaps it at free. */
    if ((size_t)n > PY_SSIZE_T_MAX / (size_t)al.kind)
        return PyErr_NoMemory();
    void *buf = malloc(n ? (size_t)n * al.kind : 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    if (random_fill(al.kind, buf, n, al.data, al.length, seed, seeded) < 0) {
        free(buf);
        return NULL;
    }
    PyObject *out = PyUnicode_FromKindAndData(al.kind, buf, n);
    free(buf);
    return out;
}

PyMethodDef gk_text_methods[] = {
    {"short_long", (PyCFunction)(void (*)(void))short_long, METH_FASTCALL | METH_KEYWORDS,
     "short_long($module, /, text)\n--\n\n"
     "Return the fraction of words in text longer than 8 characters, ignoring\n"
     "the words \"the\" and \"a\". Words are split as str.split() splits them\n"
     "(Unicode whitespace) and measured in code points, so the answer equals\n"
     "the pure-Python version's on every input. Raises ValueError when text has\n"
     "no countable word."},
    {"random_string", (PyCFunction)(void (*)(void))random_string, METH_FASTCALL | METH_KEYWORDS,
     "random_string($module, /, n, alphabet='abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', *, seed=None)\n--\n\n"
     "Return a str of n characters, each drawn uniformly and independently\n"
     "from alphabet (like ''.join(random.choice(alphabet) for _ in range(n))).\n"
     "With an int seed (reduced to 64 bits) the result is repeatable. Not for\n"
     "cryptographic use (see the secrets module). Ctrl-C interrupts a long call."},
    {NULL, NULL, 0, NULL},
};
