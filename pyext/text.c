/* short_long(text) and random_string(n, alphabet, *, seed): the CFFI and
 * PyO3+rayon articles' small kernels (Go: kernels/text, golib/text.go). */
#include "gokernels.h"

static int64_t (*go_short_long)(int, const void *, int64_t, int64_t *);
static void (*go_random_string)(int, void *, int64_t, const void *, int64_t, uint64_t, int);

static PyObject *short_long(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"text"};
    PyObject *s;
    (void)module;
    if (gk_parse("short_long", args, nargs, kwnames, names, 1, 1, 1, &s) < 0)
        return NULL;
    if (!PyUnicode_Check(s))
        return gk_type_error("short_long", "text", "str", s);
    gk_str u;
    if (gk_get_str(s, &u) < 0)
        return NULL;
    GK_BIND(go_short_long, "GkShortLong");
    int64_t total = 0, long_words;
    GK_MAYBE_NOGIL(u.length * u.kind >= GK_NOGIL_BYTES,
                   long_words = go_short_long(u.kind, u.data, u.length, &total));
    if (total == 0) {
        PyErr_SetString(PyExc_ValueError,
                        "short_long() argument 'text' has no countable word "
                        "(only whitespace, 'the' and 'a')");
        return NULL;
    }
    /* Both counts are below 2**53, so this is int / int true division. */
    return PyFloat_FromDouble((double)long_words / (double)total);
}

static PyObject *random_string(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"n", "alphabet", "seed"};
    static PyObject *letters; /* string.ascii_letters, made once */
    PyObject *a[3];
    (void)module;
    if (gk_parse("random_string", args, nargs, kwnames, names, 3, 2, 1, a) < 0)
        return NULL;
    if (!PyLong_Check(a[0]))
        return gk_type_error("random_string", "n", "int", a[0]);
    int overflow;
    long long nn = PyLong_AsLongLongAndOverflow(a[0], &overflow);
    if (nn == -1 && PyErr_Occurred())
        return NULL;
    if (overflow > 0 || nn > PY_SSIZE_T_MAX) {
        PyErr_Format(PyExc_OverflowError, "random_string() argument 'n' must be at most %zd", PY_SSIZE_T_MAX);
        return NULL;
    }
    if (overflow < 0 || nn < 0)
        return gk_value_error("random_string", "n", ">= 0", a[0]);
    Py_ssize_t n = (Py_ssize_t)nn;
    PyObject *alphabet = a[1];
    if (alphabet == NULL) {
        if (letters == NULL &&
            (letters = PyUnicode_FromString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) == NULL)
            return NULL;
        alphabet = letters;
    } else if (!PyUnicode_Check(alphabet)) {
        return gk_type_error("random_string", "alphabet", "str", alphabet);
    }
    uint64_t seed;
    int seeded;
    if (gk_parse_seed("random_string", a[2], &seed, &seeded) < 0)
        return NULL;
    gk_str al;
    if (gk_get_str(alphabet, &al) < 0)
        return NULL;
    if (al.length == 0) {
        PyErr_SetString(PyExc_ValueError, "random_string() argument 'alphabet' must not be empty");
        return NULL;
    }
    GK_BIND(go_random_string, "GkRandomString");
    int big = n * al.kind >= GK_NOGIL_BYTES;
    if (PyUnicode_IS_ASCII(alphabet)) {
        /* The common case: fill the new str in place. */
        PyObject *out = PyUnicode_New(n, 127);
        if (out == NULL)
            return NULL;
        void *dst = PyUnicode_DATA(out);
        GK_MAYBE_NOGIL(big, go_random_string(1, dst, n, al.data, al.length, seed, seeded));
        return out;
    }
    /* A wider alphabet: fill a buffer of its kind, then let CPython store the
     * result in the narrowest kind that holds what was drawn (a str must be
     * canonical). */
    if ((size_t)n > PY_SSIZE_T_MAX / (size_t)al.kind)
        return PyErr_NoMemory();
    void *buf = PyMem_Malloc(n ? (size_t)n * al.kind : 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    GK_MAYBE_NOGIL(big, go_random_string(al.kind, buf, n, al.data, al.length, seed, seeded));
    PyObject *out = PyUnicode_FromKindAndData(al.kind, buf, n);
    PyMem_Free(buf);
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
     "cryptographic use (see the secrets module)."},
    {NULL, NULL, 0, NULL},
};
