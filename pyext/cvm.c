/* count_approx and CVMCounter: approximate distinct counting with the CVM
 * algorithm (Go: kernels/cvm, exports in golib/cvm.go).
 *
 * C turns Python items into 64-bit keys, CHUNK at a time, and hands each
 * chunk to Go in one call with the GIL released; Go never calls back into
 * Python. The keys follow kernels/cvm/key.go: an int (or bool) that fits in
 * int64 is its own key, an integral float in that range has the key of the
 * equal int, a str has hash(s) ^ STR_DOMAIN, anything else has
 * hash(obj) ^ KEY_DOMAIN. Numeric arrays
 * (buffer protocol, one dimension) skip Python objects entirely: Go reads
 * the elements and applies the same rules.
 */
#include "gokernels.h"
#include "arrow.h"

#include <math.h>

#define CHUNK 16384
#define KEY_DOMAIN 0x9E3779B97F4A7C15ULL /* kernels/cvm pyHashDomain */
#define STR_DOMAIN 0xC2B2AE3D27D4EB4FULL /* str hashes: never equal to a non-str */
#define NAN_DOMAIN 0x165667B19E3779F9ULL /* NaN objects, by identity */

/* kernels/cvm ElemKind values. */
enum { EK_INT8, EK_UINT8, EK_INT16, EK_UINT16, EK_INT32, EK_UINT32, EK_INT64, EK_UINT64,
       EK_FLOAT32, EK_FLOAT64, EK_BOOL };

static int64_t (*go_threshold)(double, double, uint64_t);
static uintptr_t (*go_new)(int64_t, uint64_t, int);
static void (*go_free)(uintptr_t);
static void (*go_add)(uintptr_t, const uint64_t *, int64_t);
static void (*go_add_array)(uintptr_t, int, const void *, int64_t);
static double (*go_estimate)(uintptr_t, int64_t *, int64_t *);

static int bind_all(void)
{
    if (gk_bind((void **)&go_threshold, "GkCVMThreshold") < 0 || gk_bind((void **)&go_new, "GkCVMNew") < 0 ||
        gk_bind((void **)&go_free, "GkCVMFree") < 0 || gk_bind((void **)&go_add, "GkCVMAdd") < 0 ||
        gk_bind((void **)&go_add_array, "GkCVMAddArray") < 0 ||
        gk_bind((void **)&go_estimate, "GkCVMEstimate") < 0)
        return -1;
    return 0;
}

/* The key of one item. Returns 0, or -1 with the exception of hash(o).
 *
 * A str never equals a non-str, but hash('a') == hash(b'a'), so str keys get
 * a domain of their own. Int and float subclasses (IntEnum, bool) are keyed
 * by value, as the equal int or float would be. */
static inline int item_key(PyObject *o, uint64_t *key)
{
    Py_hash_t h;
    if (PyUnicode_Check(o)) {
        h = PyUnicode_CheckExact(o) ? ((PyASCIIObject *)o)->hash : -1; /* cached after the first hash */
        if (h == -1 && (h = PyObject_Hash(o)) == -1)
            return -1;
        *key = (uint64_t)h ^ STR_DOMAIN;
        return 0;
    }
    if (PyLong_Check(o)) {
        long long v;
        if (gk_small_int(o, &v)) {
            *key = (uint64_t)v;
            return 0;
        }
    } else if (PyFloat_Check(o)) {
        double f = PyFloat_AS_DOUBLE(o);
        if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 && f == floor(f)) {
            *key = (uint64_t)(int64_t)f;
            return 0;
        }
        if (f != f) {
            /* A NaN equals nothing, so a set keeps each NaN object apart: key
             * it by identity (3.10+ hashes NaN that way; 3.9 hashes every NaN
             * to 0, which would merge them). */
            *key = (uint64_t)(uintptr_t)o ^ NAN_DOMAIN;
            return 0;
        }
    }
    if ((h = PyObject_Hash(o)) == -1)
        return -1;
    *key = (uint64_t)h ^ KEY_DOMAIN;
    return 0;
}

/* The cvm element kind of a 1-D native-order numeric buffer, or -1. */
static int elem_kind(const Py_buffer *v)
{
    const char *f = v->format ? v->format : "B";
    if (*f == '@' || *f == '=' || *f == '<')
        f++; /* little-endian or native: the same on every platform we build for */
    if (f[0] == '\0' || f[1] != '\0' || v->ndim != 1)
        return -1;
    switch (f[0]) {
    case '?':
        return v->itemsize == 1 ? EK_BOOL : -1;
    case 'f':
        return v->itemsize == 4 ? EK_FLOAT32 : -1;
    case 'd':
        return v->itemsize == 8 ? EK_FLOAT64 : -1;
    case 'b': case 'h': case 'i': case 'l': case 'q': case 'n':
        switch (v->itemsize) {
        case 1: return EK_INT8;
        case 2: return EK_INT16;
        case 4: return EK_INT32;
        case 8: return EK_INT64;
        }
        return -1;
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N':
        switch (v->itemsize) {
        case 1: return EK_UINT8;
        case 2: return EK_UINT16;
        case 4: return EK_UINT32;
        case 8: return EK_UINT64;
        }
        return -1;
    }
    return -1;
}

/* Keys waiting to go to Go: a chunk filled by C, emptied by one Go call. */
typedef struct {
    uint64_t *keys;
    Py_ssize_t n;
} pending;

static void flush(uintptr_t h, pending *p)
{
    if (p->n == 0)
        return;
    Py_BEGIN_ALLOW_THREADS go_add(h, p->keys, p->n);
    Py_END_ALLOW_THREADS p->n = 0;
}

static inline int push(uintptr_t h, pending *p, PyObject *o)
{
    if (item_key(o, &p->keys[p->n]) < 0)
        return -1;
    if (++p->n == CHUNK) {
        flush(h, p);
        /* Between chunks, so Ctrl-C interrupts a long count within a chunk. */
        if (PyErr_CheckSignals() < 0)
            return -1;
    }
    return 0;
}

/* Adds every item of items, in order. Returns 0, or -1 with the exception
 * raised by hash() or by the iteration (keys before it stay added). */
static int feed(uintptr_t h, pending *p, PyObject *items)
{
    if (PyList_CheckExact(items) || PyTuple_CheckExact(items)) {
        /* Walk the item array in place. A __hash__ may change a list, so its
         * size and array are read again at every step. */
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); i++)
            if (push(h, p, PySequence_Fast_ITEMS(items)[i]) < 0)
                return -1;
        return 0;
    }
    int arrow = gk_arrow_add(h, items); /* Arrow data: arrow.c */
    if (arrow != 0)
        return arrow < 0 ? -1 : 0;
    if (PyObject_CheckBuffer(items)) {
        Py_buffer view;
        if (PyObject_GetBuffer(items, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) == 0) {
            int kind = elem_kind(&view);
            if (kind >= 0) {
                flush(h, p);
                Py_BEGIN_ALLOW_THREADS go_add_array(h, kind, view.buf, view.len);
                Py_END_ALLOW_THREADS PyBuffer_Release(&view);
                return 0;
            }
            PyBuffer_Release(&view);
        } else {
            PyErr_Clear(); /* not a contiguous buffer: iterate it instead */
        }
    }
    PyObject *it = PyObject_GetIter(items);
    if (it == NULL)
        return -1;
    PyObject *o;
    while ((o = PyIter_Next(it)) != NULL) {
        int r = push(h, p, o);
        Py_DECREF(o);
        if (r < 0) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* Parses epsilon and delta (NULL: the defaults) and the stream length into a
 * threshold. Returns it, or -1 with a ValueError/TypeError naming the argument. */
static int64_t threshold_for(const char *fname, PyObject *eps_o, PyObject *delta_o, uint64_t n)
{
    double eps = 0.5, delta = 0.001;
    if (eps_o != NULL) {
        if (!PyFloat_Check(eps_o) && !PyLong_Check(eps_o)) {
            gk_type_error(fname, "epsilon", "a float", eps_o);
            return -1;
        }
        if ((eps = PyFloat_AsDouble(eps_o)) == -1.0 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return -1;
            PyErr_Clear();
            eps = HUGE_VAL; /* an int beyond every float: out of range below */
        }
    }
    if (delta_o != NULL) {
        if (!PyFloat_Check(delta_o) && !PyLong_Check(delta_o)) {
            gk_type_error(fname, "delta", "a float", delta_o);
            return -1;
        }
        if ((delta = PyFloat_AsDouble(delta_o)) == -1.0 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError))
                return -1;
            PyErr_Clear();
            delta = HUGE_VAL;
        }
    }
    int64_t t = go_threshold(eps, delta, n);
    if (t == -1)
        gk_value_error(fname, "epsilon", "between 0 and 1 (exclusive)", eps_o);
    else if (t == -2)
        gk_value_error(fname, "delta", "between 0 and 1 (exclusive)", delta_o);
    else if (t == -3)
        PyErr_Format(PyExc_ValueError, "%s(): epsilon=%R is too small: the buffer would not fit in memory",
                     fname, eps_o);
    return t < 0 ? -1 : t;
}

static PyObject *estimate_of(uintptr_t h)
{
    int64_t len, k;
    double e = go_estimate(h, &len, &k);
    return PyLong_FromDouble(e); /* len * 2**k: always an integer */
}

static PyObject *count_approx(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"items", "epsilon", "delta", "seed"};
    PyObject *a[4];
    (void)module;
    if (gk_parse("count_approx", args, nargs, kwnames, names, 4, 3, 1, a) < 0)
        return NULL;
    if (bind_all() < 0)
        return NULL;
    /* The buffer size depends on the stream length: len(items) when it has
     * one, else the documented default bound. */
    if (!PyObject_CheckBuffer(a[0]) && !PySequence_Check(a[0]) && Py_TYPE(a[0])->tp_iter == NULL &&
        !gk_arrow_exports(a[0]))
        return gk_type_error("count_approx", "items", "an iterable", a[0]);
    /* len(items), else an iterator's length hint (iter(list) gives the
     * list's length, so it counts like the list); errors other than a
     * TypeError from __len__ propagate, as in list(items). */
    Py_ssize_t hint = PyObject_LengthHint(a[0], 0);
    if (hint < 0)
        return NULL;
    uint64_t n = (uint64_t)hint; /* 0: unknown or empty, the default bound */
    int64_t t = threshold_for("count_approx", a[1], a[2], n);
    if (t < 0)
        return NULL;
    uint64_t seed;
    int seeded;
    if (gk_parse_seed("count_approx", a[3], &seed, &seeded) < 0)
        return NULL;
    uint64_t *keys = PyMem_Malloc(CHUNK * sizeof(uint64_t));
    if (keys == NULL)
        return PyErr_NoMemory();
    uintptr_t h = go_new(t, seed, seeded);
    pending p = {keys, 0};
    PyObject *result = NULL;
    if (feed(h, &p, a[0]) == 0) {
        flush(h, &p);
        result = estimate_of(h);
    }
    go_free(h);
    PyMem_Free(keys);
    return result;
}

/* ---- CVMCounter ---- */

typedef struct {
    PyObject_HEAD
    uintptr_t handle;
    double epsilon, delta;
    int64_t threshold;
    pending p;
    int busy; /* a method is running with the GIL released */
} CVMCounter;

static PyTypeObject CVMCounterType;

static PyObject *counter_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"epsilon", "delta", "stream_length", "seed", NULL};
    PyObject *eps_o = NULL, *delta_o = NULL, *len_o = Py_None, *seed_o = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO$OO:CVMCounter", kwlist, &eps_o, &delta_o, &len_o, &seed_o))
        return NULL;
    if (bind_all() < 0)
        return NULL;
    uint64_t n = 0; /* 0: the default bound */
    if (len_o != Py_None) {
        if (!PyLong_Check(len_o))
            return gk_type_error("CVMCounter", "stream_length", "an int or None", len_o);
        int overflow;
        long long len = PyLong_AsLongLongAndOverflow(len_o, &overflow);
        if (len == -1 && PyErr_Occurred())
            return NULL;
        if (overflow > 0) {
            PyErr_SetString(PyExc_OverflowError, "CVMCounter() argument 'stream_length' must be below 2**63");
            return NULL;
        }
        if (overflow < 0 || len < 0)
            return gk_value_error("CVMCounter", "stream_length", ">= 0", len_o);
        n = len > 0 ? (uint64_t)len : 1;
    }
    int64_t t = threshold_for("CVMCounter", eps_o, delta_o, n);
    if (t < 0)
        return NULL;
    uint64_t seed;
    int seeded;
    if (gk_parse_seed("CVMCounter", seed_o, &seed, &seeded) < 0)
        return NULL;
    CVMCounter *self = (CVMCounter *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->p.keys = PyMem_Malloc(CHUNK * sizeof(uint64_t));
    if (self->p.keys == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->epsilon = eps_o ? PyFloat_AsDouble(eps_o) : 0.5;
    self->delta = delta_o ? PyFloat_AsDouble(delta_o) : 0.001;
    self->threshold = t;
    self->handle = go_new(t, seed, seeded);
    return (PyObject *)self;
}

static void counter_dealloc(CVMCounter *self)
{
    /* In a child forked after Go started, calling Go would hang: leak instead. */
    if (self->handle && gk_ready)
        go_free(self->handle);
    PyMem_Free(self->p.keys);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int enter(CVMCounter *self)
{
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "CVMCounter is in use by another thread");
        return -1;
    }
    if (!gk_ready && bind_all() < 0)
        return -1;
    self->busy = 1;
    return 0;
}

static PyObject *counter_add(CVMCounter *self, PyObject *x)
{
    if (enter(self) < 0)
        return NULL;
    int r = push(self->handle, &self->p, x);
    self->busy = 0;
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *counter_update(CVMCounter *self, PyObject *items)
{
    if (!PyObject_CheckBuffer(items) && !PySequence_Check(items) && Py_TYPE(items)->tp_iter == NULL &&
        !gk_arrow_exports(items))
        return gk_type_error("CVMCounter.update", "items", "an iterable", items);
    if (enter(self) < 0)
        return NULL;
    int r = feed(self->handle, &self->p, items);
    self->busy = 0;
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *counter_estimate(CVMCounter *self, PyObject *unused)
{
    (void)unused;
    if (enter(self) < 0)
        return NULL;
    flush(self->handle, &self->p);
    self->busy = 0;
    return estimate_of(self->handle);
}

static PyObject *counter_repr(CVMCounter *self)
{
    if (enter(self) < 0)
        return NULL;
    flush(self->handle, &self->p);
    int64_t len, k;
    double e = go_estimate(self->handle, &len, &k);
    self->busy = 0;
    PyObject *est = PyLong_FromDouble(e);
    if (est == NULL)
        return NULL;
    char eps[32], delta[32];
    PyOS_snprintf(eps, sizeof eps, "%g", self->epsilon);
    PyOS_snprintf(delta, sizeof delta, "%g", self->delta);
    PyObject *r = PyUnicode_FromFormat("<CVMCounter epsilon=%s delta=%s threshold=%lld buffered=%lld p=2**-%lld "
                                       "estimate=%S>",
                                       eps, delta, (long long)self->threshold, (long long)len, (long long)k, est);
    Py_DECREF(est);
    return r;
}

static PyObject *counter_get_threshold(CVMCounter *self, void *closure)
{
    (void)closure;
    return PyLong_FromLongLong(self->threshold);
}

static PyObject *counter_get_epsilon(CVMCounter *self, void *closure)
{
    (void)closure;
    return PyFloat_FromDouble(self->epsilon);
}

static PyObject *counter_get_delta(CVMCounter *self, void *closure)
{
    (void)closure;
    return PyFloat_FromDouble(self->delta);
}

static PyMethodDef counter_methods[] = {
    {"add", (PyCFunction)counter_add, METH_O,
     "add($self, x, /)\n--\n\nAdd one hashable item. Unhashable items raise TypeError."},
    {"update", (PyCFunction)counter_update, METH_O,
     "update($self, items, /)\n--\n\n"
     "Add every item of an iterable, in order (lists and tuples are read in\n"
     "place; 1-D numeric arrays skip Python objects)."},
    {"estimate", (PyCFunction)counter_estimate, METH_NOARGS,
     "estimate($self, /)\n--\n\n"
     "Return the estimated number of distinct items added so far (exact while\n"
     "that number is below the buffer size)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef counter_getset[] = {
    {"threshold", (getter)counter_get_threshold, NULL, "The buffer size: at most this many items are kept.", NULL},
    {"epsilon", (getter)counter_get_epsilon, NULL, "The relative error bound.", NULL},
    {"delta", (getter)counter_get_delta, NULL, "The probability of exceeding the error bound.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject CVMCounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gokernels.cvm.CVMCounter",
    .tp_basicsize = sizeof(CVMCounter),
    .tp_dealloc = (destructor)counter_dealloc,
    .tp_repr = (reprfunc)counter_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "CVMCounter(epsilon=0.5, delta=0.001, *, stream_length=None, seed=None)\n--\n\n"
              "An approximate distinct counter (the CVM algorithm) in memory bounded\n"
              "by its buffer: 12/epsilon**2 * log2(8 * stream_length / delta) items.\n"
              "Without stream_length the buffer is sized for 2**40 items. The estimate\n"
              "is within epsilon of the true count with probability at least 1-delta,\n"
              "and unbiased. The same seed and items give the same estimate, whatever\n"
              "PYTHONHASHSEED is. Items are hashed as a set hashes them (1 == 1.0).",
    .tp_methods = counter_methods,
    .tp_getset = counter_getset,
    .tp_new = counter_new,
};

int gk_cvm_init(PyObject *module)
{
    if (PyType_Ready(&CVMCounterType) < 0)
        return -1;
    Py_INCREF(&CVMCounterType);
    if (PyModule_AddObject(module, "CVMCounter", (PyObject *)&CVMCounterType) < 0) {
        Py_DECREF(&CVMCounterType);
        return -1;
    }
    return 0;
}

PyMethodDef gk_cvm_methods[] = {
    {"count_approx", (PyCFunction)(void (*)(void))count_approx, METH_FASTCALL | METH_KEYWORDS,
     "count_approx($module, /, items, epsilon=0.5, delta=0.001, *, seed=None)\n--\n\n"
     "Return an estimate of the number of distinct items in an iterable of\n"
     "hashable objects, with the CVM algorithm (Chakraborty, Vinodchandran and\n"
     "Meel), in memory bounded by the buffer size, not the input. With\n"
     "probability at least 1-delta the estimate is within a relative error\n"
     "epsilon, and it is unbiased; it is exact while the distinct count is\n"
     "below the buffer size. Items compare as in a set (1 == 1.0 == True).\n"
     "Lists and tuples are read in place, 1-D numeric arrays (numpy,\n"
     "array.array) without creating Python objects. The buffer size uses\n"
     "len(items) (or an iterator's length hint), else 2**40. A seed makes the answer\n"
     "repeatable, whatever PYTHONHASHSEED is."},
    {NULL, NULL, 0, NULL},
};
