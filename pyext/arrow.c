/* Arrow columns for count_approx and CVMCounter.update, through the Arrow
 * PyCapsule interface (__arrow_c_array__ / __arrow_c_stream__): no pyarrow
 * import, no Python object per value.
 *
 * C takes the ArrowSchema/ArrowArray (or stream) out of the producer's
 * capsules, so that it releases each struct exactly once on every path
 * (errors and Ctrl-C included), and hands Go the C structs of one array at
 * a time. Go (golib/arrow.go, kernels/arrow) checks every buffer and offset
 * before reading it and counts the array on all cores, a range of rows per
 * call with the GIL released; C checks for signals between ranges.
 */
#include "gokernels.h"
#include "arrow.h"

#include <stdlib.h>
#include <string.h>

/* The Go exports this file calls (golib/gkapi.h, bound by the loader). */
#define go_scan_new gk_go.GkArrowScanNew
#define go_scan_run gk_go.GkArrowScanRun
#define go_scan_finish gk_go.GkArrowScanFinish
#define go_scan_free gk_go.GkArrowScanFree

static int bind_arrow(void)
{
    GK_LOAD_OR(return -1);
    return 0;
}

/* Arrays of at least this many rows are counted with the GIL released. */
#define NOGIL_ROWS 8192

#if PY_VERSION_HEX < 0x030D0000
static int PyObject_GetOptionalAttr(PyObject *o, PyObject *name, PyObject **out)
{
    if ((*out = PyObject_GetAttr(o, name)) != NULL)
        return 1;
    if (!PyErr_ExceptionMatches(PyExc_AttributeError))
        return -1;
    PyErr_Clear();
    return 0;
}

static int PyObject_HasAttrWithError(PyObject *o, PyObject *name)
{
    PyObject *v;
    int r = PyObject_GetOptionalAttr(o, name, &v);
    Py_XDECREF(v);
    return r;
}
#endif

static PyObject *s_array, *s_stream, *s_dtype, *s_hasobject;

static int intern_names(void)
{
    if (s_array != NULL)
        return 0;
    s_array = PyUnicode_InternFromString("__arrow_c_array__");
    s_stream = PyUnicode_InternFromString("__arrow_c_stream__");
    s_dtype = PyUnicode_InternFromString("dtype");
    s_hasobject = PyUnicode_InternFromString("hasobject");
    return s_array && s_stream && s_dtype && s_hasobject ? 0 : -1;
}

/* Set when the last failure in this thread was a format that the column
 * path does not read, so gk_arrow_add can count the values as Python objects
 * instead. Thread-local: free-threaded builds run counters concurrently. */
static _Thread_local int unsupported_format;

/* Raises the exception of a failed Go call and frees its message. */
static int go_error(gk_status st, char *msg, PyObject *items)
{
    unsupported_format = st == GK_ERR_UNSUPPORTED;
    PyObject *exc = st == GK_ERR_UNSUPPORTED ? PyExc_TypeError
                    : st == GK_ERR_NO_MEMORY ? PyExc_MemoryError
                    : st == GK_ERR_INVALID   ? PyExc_ValueError
                                             : NULL;
    if (exc == NULL)
        gk_raise_status(st, "CVMCounter.add"); /* no status of Arrow's own: SystemError */
    else
        PyErr_Format(exc, "%s (counting a %.200s)", msg ? msg : "Arrow error", Py_TYPE(items)->tp_name);
    free(msg);
    return -1;
}

/* Counts one array into the counter h. The caller owns and releases both
 * structs. Returns 0, or -1 with an exception. */
static int add_array(uintptr_t h, struct ArrowSchema *schema, struct ArrowArray *array, PyObject *items)
{
    char *msg = NULL;
    int64_t rows = 0;
    gk_status st = GK_OK;
    uintptr_t scan = go_scan_new(h, schema, array, &rows, &st, &msg);
    if (scan == 0) {
        go_error(st, msg, items);
        /* A table's rows are not its values (iterating a DataFrame gives its
         * column names): never fall back to objects for a struct. */
        if (schema->format != NULL && schema->format[0] == '+' && schema->format[1] == 's')
            unsupported_format = 0;
        return -1;
    }
    int64_t n = array->length; /* checked by Go: 0 <= n */
    int nogil = n >= NOGIL_ROWS;
    gk_status rc = GK_OK;
    for (int64_t lo = 0; lo < n;) {
        int64_t hi = n - lo > rows ? lo + rows : n;
        GK_MAYBE_NOGIL(nogil, rc = go_scan_run(scan, schema, array, lo, hi, &msg));
        if (rc != GK_OK) {
            go_scan_free(scan);
            return go_error(rc, msg, items);
        }
        lo = hi;
        /* After each range (about 10 ms), so Ctrl-C interrupts promptly,
         * and before any release callback runs Python code of its own. */
        if (PyErr_CheckSignals() < 0) {
            go_scan_free(scan);
            return -1;
        }
    }
    GK_MAYBE_NOGIL(nogil, rc = go_scan_finish(scan, schema, array, &msg));
    if (rc != GK_OK)
        return go_error(rc, msg, items);
    return 0;
}

/* Copies the struct out of a capsule named name; returns the capsule's own
 * copy, which the caller marks released (release = NULL) once it has checked
 * it, so that the capsule's destructor does nothing and the caller releases
 * the struct exactly once. */
static void *capsule_take(PyObject *cap, const char *name, void *out, size_t size)
{
    if (!PyCapsule_IsValid(cap, name)) {
        PyErr_Format(PyExc_TypeError, "Arrow PyCapsule interface: expected a capsule named '%s', got %.200s", name,
                     Py_TYPE(cap)->tp_name);
        return NULL;
    }
    void *p = PyCapsule_GetPointer(cap, name);
    memcpy(out, p, size); /* the caller then marks the capsule's copy released */
    return p;
}

/* Release callbacks may run Python code (a producer written in Python, or
 * one whose buffers are Python objects): keep a pending exception aside. */
#define RELEASE(x)                                                     \
    do {                                                               \
        PyObject *et_, *ev_, *tb_;                                     \
        PyErr_Fetch(&et_, &ev_, &tb_);                                 \
        (x).release(&(x));                                             \
        PyErr_Restore(et_, ev_, tb_);                                  \
    } while (0)

static int add_from_array(uintptr_t h, PyObject *items)
{
    PyObject *pair = PyObject_CallMethodNoArgs(items, s_array);
    if (pair == NULL)
        return -1;
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        PyErr_Format(PyExc_TypeError, "%.200s.__arrow_c_array__() must return a (schema, array) tuple of capsules",
                     Py_TYPE(items)->tp_name);
        Py_DECREF(pair);
        return -1;
    }
    struct ArrowSchema schema;
    struct ArrowArray array;
    struct ArrowSchema *sp = capsule_take(PyTuple_GET_ITEM(pair, 0), "arrow_schema", &schema, sizeof schema);
    if (sp == NULL) {
        Py_DECREF(pair);
        return -1;
    }
    struct ArrowArray *ap = capsule_take(PyTuple_GET_ITEM(pair, 1), "arrow_array", &array, sizeof array);
    if (ap == NULL) {
        Py_DECREF(pair);
        return -1;
    }
    if (schema.release == NULL || array.release == NULL) {
        PyErr_Format(PyExc_ValueError, "%.200s.__arrow_c_array__() returned a released schema or array",
                     Py_TYPE(items)->tp_name);
        Py_DECREF(pair);
        return -1;
    }
    sp->release = NULL; /* moved out: ours to release from here on */
    ap->release = NULL;
    Py_DECREF(pair);
    int r = add_array(h, &schema, &array, items);
    RELEASE(array);
    RELEASE(schema);
    return r;
}

static int stream_error(struct ArrowArrayStream *st, int rc, PyObject *items)
{
    const char *why = st->get_last_error ? st->get_last_error(st) : NULL;
    PyErr_Format(PyExc_ValueError, "reading the Arrow stream of a %.200s failed: %.500s (error %d)",
                 Py_TYPE(items)->tp_name, why ? why : "no message", rc);
    return -1;
}

static int add_from_stream(uintptr_t h, PyObject *items)
{
    PyObject *cap = PyObject_CallMethodNoArgs(items, s_stream);
    if (cap == NULL)
        return -1;
    struct ArrowArrayStream st;
    struct ArrowArrayStream *p = capsule_take(cap, "arrow_array_stream", &st, sizeof st);
    if (p == NULL) {
        Py_DECREF(cap);
        return -1;
    }
    if (st.release == NULL || st.get_schema == NULL || st.get_next == NULL) {
        PyErr_Format(PyExc_ValueError, "%.200s.__arrow_c_stream__() returned a released stream",
                     Py_TYPE(items)->tp_name);
        Py_DECREF(cap);
        return -1;
    }
    p->release = NULL;
    Py_DECREF(cap);

    int r = 0;
    struct ArrowSchema schema;
    memset(&schema, 0, sizeof schema);
    int rc = st.get_schema(&st, &schema);
    if (rc != 0 || schema.release == NULL) {
        r = stream_error(&st, rc, items);
        if (rc == 0)
            PyErr_Format(PyExc_ValueError, "the Arrow stream of a %.200s gave a released schema",
                         Py_TYPE(items)->tp_name);
        goto done;
    }
    for (;;) {
        struct ArrowArray array;
        memset(&array, 0, sizeof array);
        if ((rc = st.get_next(&st, &array)) != 0) {
            r = stream_error(&st, rc, items);
            break;
        }
        if (array.release == NULL)
            break; /* end of stream */
        r = add_array(h, &schema, &array, items); /* checks signals */
        RELEASE(array);
        if (r < 0)
            break;
    }
    RELEASE(schema);
done:
    RELEASE(st);
    return r;
}

/* True if items is an object whose values C must not read through Arrow: a
 * pandas (or numpy-dtype) container of Python objects, which pyarrow would
 * convert, or refuse to convert, by its own rules. Those go the object path. */
static int holds_objects(PyObject *items)
{
    PyObject *dtype;
    if (PyObject_GetOptionalAttr(items, s_dtype, &dtype) <= 0) {
        PyErr_Clear();
        return 0;
    }
    PyObject *has = NULL;
    int r = PyObject_GetOptionalAttr(dtype, s_hasobject, &has);
    Py_DECREF(dtype);
    if (r <= 0) {
        PyErr_Clear();
        return 0;
    }
    r = has == Py_True;
    Py_DECREF(has);
    return r;
}

int gk_arrow_exports(PyObject *items)
{
    if (intern_names() < 0) {
        PyErr_Clear();
        return 0;
    }
    PyObject *type = (PyObject *)Py_TYPE(items);
    int r = PyObject_HasAttrWithError(type, s_array);
    if (r == 0)
        r = PyObject_HasAttrWithError(type, s_stream);
    if (r < 0)
        PyErr_Clear();
    return r > 0;
}

int gk_arrow_add(uintptr_t h, PyObject *items)
{
    if (PyUnicode_Check(items) || PyBytes_Check(items) || PyList_Check(items) || PyTuple_Check(items) ||
        PyDict_Check(items) || PyAnySet_Check(items))
        return 0;
    if (intern_names() < 0)
        return -1;
    PyObject *type = (PyObject *)Py_TYPE(items);
    int has_array = PyObject_HasAttrWithError(type, s_array);
    if (has_array < 0)
        return -1;
    int has_stream = has_array ? 0 : PyObject_HasAttrWithError(type, s_stream);
    if (has_stream < 0)
        return -1;
    if (!has_array && !has_stream)
        return 0;
    if (holds_objects(items))
        return 0;
    if (bind_arrow() < 0)
        return -1;
    unsupported_format = 0;
    int r = has_array ? add_from_array(h, items) : add_from_stream(h, items);
    if (r < 0 && unsupported_format && Py_TYPE(items)->tp_iter != NULL &&
        PyErr_ExceptionMatches(PyExc_TypeError)) {
        /* A type the column path does not read (timestamps, decimals,
         * lists...) in an iterable container (a pandas or polars Series, a
         * pyarrow array): count its Python objects, as before the column path
         * existed. Values already added from earlier chunks are added again,
         * which changes nothing: a counter depends only on the set of keys. */
        PyErr_Clear();
        return 0;
    }
    if (r < 0 && PyErr_ExceptionMatches(PyExc_ImportError)) {
        /* The exporter needs a library that is not installed (pandas
         * exports through pyarrow): count the values as Python objects. */
        PyErr_Clear();
        return 0;
    }
    return r < 0 ? -1 : 1;
}
