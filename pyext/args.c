/* Argument parsing shared by every kernel: METH_FASTCALL | METH_KEYWORDS,
 * without CPython's private _PyArg_Parser. */
#include "gokernels.h"

#include <math.h>
#include <string.h>

int gk_parse_slow(const gk_sig *sig, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  PyObject **out)
{
    const char *fname = sig->name;
    const char *const *names = sig->params;
    int nparams = sig->nparams, npos = sig->npos, nreq = sig->nreq;
    if (nargs > npos) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes at most %d positional argument%s (%zd given)",
                     fname, npos, npos == 1 ? "" : "s", nargs);
        return -1;
    }
    for (int i = 0; i < nparams; i++)
        out[i] = i < nargs ? args[i] : NULL;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        const char *kname = PyUnicode_AsUTF8(key);
        if (kname == NULL)
            return -1;
        int i = 0;
        while (i < nparams && strcmp(names[i], kname) != 0)
            i++;
        if (i == nparams) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got an unexpected keyword argument '%s'", fname, kname);
            return -1;
        }
        if (out[i] != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got multiple values for argument '%s'", fname, kname);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    for (int i = 0; i < nreq; i++) {
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%s() missing required argument '%s'", fname, names[i]);
            return -1;
        }
    }
    return 0;
}

int gk_parse_float(const char *fname, const char *arg, PyObject *o, double *v)
{
    if (!PyFloat_Check(o) && !PyLong_Check(o)) {
        gk_type_error(fname, arg, "a float", o);
        return -1;
    }
    if ((*v = PyFloat_AsDouble(o)) == -1.0 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
        *v = HUGE_VAL; /* an int beyond every float: out of any finite range */
    }
    return 0;
}

int gk_parse_int(const char *fname, const gk_int_rule *rule, PyObject *o, long long *v)
{
    if (!PyLong_Check(o)) {
        gk_type_error(fname, rule->arg, rule->type, o);
        return -1;
    }
    int overflow;
    long long x = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (x == -1 && PyErr_Occurred())
        return -1;
    if (overflow < 0 || (overflow == 0 && x < rule->lo)) {
        gk_value_error(fname, rule->arg, rule->range, o);
        return -1;
    }
    if (overflow > 0 || x > rule->hi) {
        switch (rule->above) {
        case GK_ABOVE_CLAMP:
            *v = rule->hi + 1;
            return 0;
        case GK_ABOVE_OVERFLOW:
            if (rule->overflow)
                PyErr_Format(PyExc_OverflowError, "%s() argument '%s' must be %s", fname, rule->arg,
                             rule->overflow);
            else
                PyErr_Format(PyExc_OverflowError, "%s() argument '%s' must be at most %lld", fname, rule->arg,
                             rule->hi);
            return -1;
        default:
            gk_value_error(fname, rule->arg, rule->range, o);
            return -1;
        }
    }
    *v = x;
    return 0;
}

PyObject *gk_type_error(const char *fname, const char *arg, const char *what,
                        PyObject *got)
{
    PyErr_Format(PyExc_TypeError, "%s() argument '%s' must be %s, not %.200s",
                 fname, arg, what, Py_TYPE(got)->tp_name);
    return NULL;
}

int gk_get_str(PyObject *s, gk_str *out)
{
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(s) < 0)
        return -1;
#endif
    out->kind = (int)PyUnicode_KIND(s);
    out->data = PyUnicode_DATA(s);
    out->length = PyUnicode_GET_LENGTH(s);
    return 0;
}

PyObject *gk_value_error(const char *fname, const char *arg, const char *what,
                         PyObject *got)
{
    if (PyLong_Check(got)) {
        int overflow;
        if (PyLong_AsLongLongAndOverflow(got, &overflow) == -1 && PyErr_Occurred())
            PyErr_Clear();
        else if (overflow) {
            PyErr_Format(PyExc_ValueError, "%s() argument '%s' must be %s, not %s",
                         fname, arg, what,
                         overflow > 0 ? "an int above 2**63" : "an int below -2**63");
            return NULL;
        }
    }
    PyErr_Format(PyExc_ValueError, "%s() argument '%s' must be %s, not %R",
                 fname, arg, what, got);
    return NULL;
}

int gk_get_buffer(const char *fname, const char *arg, Py_ssize_t item,
                  PyObject *o, Py_buffer *view, int flags)
{
    if (PyObject_GetBuffer(o, view, flags) == 0)
        return 0;
    if (!PyErr_ExceptionMatches(PyExc_BufferError) &&
        !PyErr_ExceptionMatches(PyExc_ValueError))
        return -1;
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc = PyErr_GetRaisedException();
#else
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
#endif
    PyObject *reason = exc ? PyObject_Str(exc) : NULL;
    Py_XDECREF(exc);
    if (reason == NULL) {
        PyErr_Clear();
        if ((reason = PyUnicode_FromString(Py_TYPE(o)->tp_name)) == NULL)
            return -1;
    }
    if (item >= 0)
        PyErr_Format(PyExc_BufferError, "%s() item %zd must be a C-contiguous buffer (%U)",
                     fname, item, reason);
    else
        PyErr_Format(PyExc_BufferError, "%s() argument '%s' must be a C-contiguous buffer (%U)",
                     fname, arg, reason);
    Py_DECREF(reason);
    return -1;
}

int gk_parse_workers(const char *fname, PyObject *o, long long *workers)
{
    *workers = 0; /* one per CPU (GOMAXPROCS) */
    if (o == NULL || o == Py_None)
        return 0;
    static const gk_int_rule rule = {"workers", "a positive int or None", "between 1 and 4096 or None", 1, 4096,
                                     GK_ABOVE_RANGE, NULL};
    return gk_parse_int(fname, &rule, o, workers);
}

int gk_parse_seed(const char *fname, PyObject *o, uint64_t *seed, int *seeded)
{
    *seed = 0;
    *seeded = o != NULL && o != Py_None;
    if (!*seeded)
        return 0;
    if (!PyLong_Check(o)) {
        gk_type_error(fname, "seed", "an int or None", o);
        return -1;
    }
    *seed = PyLong_AsUnsignedLongLongMask(o); /* reduced to 64 bits */
    return *seed == (uint64_t)-1 && PyErr_Occurred() ? -1 : 0;
}

/* The exception of each gk_status (golib/gkapi.h) that needs no more than
 * the function's name: what Go reports, mapped once. */
static const struct {
    PyObject **type;
    const char *what;
} gk_statuses[GK_STATUS_COUNT] = {
    [GK_ERR_NO_MEMORY] = {&PyExc_MemoryError, NULL},
    [GK_ERR_STOPPED] = {&PyExc_KeyboardInterrupt, NULL},
    [GK_ERR_TRUNCATED] = {&PyExc_ValueError, "truncated or extended data"},
    [GK_ERR_MAGIC] = {&PyExc_ValueError, "not a serialized CVMCounter (bad magic)"},
    [GK_ERR_VERSION] = {&PyExc_ValueError, "unsupported format version"},
    [GK_ERR_CHECKSUM] = {&PyExc_ValueError, "checksum mismatch (corrupt data)"},
    [GK_ERR_CONTENT] = {&PyExc_ValueError, "inconsistent content"},
};

PyObject *gk_raise_status(gk_status st, const char *fname)
{
    if (st == GK_ERR_STOPPED && PyErr_Occurred())
        return NULL; /* the signal handler's own exception */
    if (st <= GK_OK || st >= GK_STATUS_COUNT || gk_statuses[st].type == NULL) {
        PyErr_Format(PyExc_SystemError, "%s(): unexpected status %d from Go", fname, (int)st);
        return NULL;
    }
    if (st == GK_ERR_NO_MEMORY)
        return PyErr_NoMemory();
    if (gk_statuses[st].what == NULL)
        PyErr_SetNone(*gk_statuses[st].type);
    else
        PyErr_Format(*gk_statuses[st].type, "%s(): %s", fname, gk_statuses[st].what);
    return NULL;
}
