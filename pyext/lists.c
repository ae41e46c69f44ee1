/* list_sum(items): the sum of a list or tuple of ints, read in place.
 *
 * The first article's Rust list_sum lost to builtin sum() because PyO3
 * converted the whole list into a Vec<i64> before adding. The lesson is that
 * the conversion is the work: this kernel walks the list's item array once,
 * reads small ints straight from their objects, adds them in a 128-bit
 * accumulator (no overflow for any list that fits in memory), and hands ints
 * beyond 64 bits to Python's own arithmetic. Crossing into Go would add a call
 * and gain nothing, so this kernel is C alone.
 *
 * While every item is an exact int (or bool) no Python code runs, so the item
 * array cannot change under the loop and the order of the additions cannot be
 * seen. At the first int subclass (whose __add__/__radd__ may return
 * anything and run any code) the rest is exactly sum()'s: the items from there
 * on are handed to the builtin sum() itself, through an iterator that takes a
 * strong reference to each item before sum() sees it.
 */
#include "gokernels.h"

/* A PyLong from a 128-bit integer: (high << 64) + low, in public API. */
static PyObject *long_from_i128(__int128 x)
{
    if (x >= INT64_MIN && x <= INT64_MAX)
        return PyLong_FromLongLong((long long)x);
    PyObject *hi = PyLong_FromLongLong((long long)(x >> 64));
    PyObject *lo = PyLong_FromUnsignedLongLong((unsigned long long)x);
    PyObject *shift = PyLong_FromLong(64);
    PyObject *shifted = hi && shift ? PyNumber_Lshift(hi, shift) : NULL;
    PyObject *r = shifted && lo ? PyNumber_Add(shifted, lo) : NULL;
    Py_XDECREF(hi);
    Py_XDECREF(lo);
    Py_XDECREF(shift);
    Py_XDECREF(shifted);
    return r;
}

static PyObject *not_an_int(Py_ssize_t i, PyObject *o)
{
    PyErr_Format(PyExc_TypeError,
                 "list_sum() argument 'items' must contain only ints; "
                 "item %zd is %.200s", i, Py_TYPE(o)->tp_name);
    return NULL;
}

/* ---- the rest of the items, for sum(): an iterator that checks for ints ----
 *
 * Over an exact list or tuple it reads the item array from an index on, as
 * list's own iterator does (the length is read at every step; once exhausted
 * it stays exhausted); over anything else it wraps that object's iterator.
 * Every item is returned as a new reference. */
typedef struct {
    PyObject_HEAD
    PyObject *seq;    /* exact list or tuple, or NULL */
    PyObject *it;     /* another iterator, or NULL */
    Py_ssize_t index; /* of the next item */
} IntItems;

static PyTypeObject IntItemsType;

static PyObject *int_items_new(PyObject *seq, PyObject *it, Py_ssize_t index)
{
    IntItems *self = PyObject_GC_New(IntItems, &IntItemsType);
    if (self == NULL)
        return NULL;
    Py_XINCREF(seq);
    Py_XINCREF(it);
    self->seq = seq;
    self->it = it;
    self->index = index;
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

static PyObject *int_items_next(IntItems *self)
{
    PyObject *o = NULL;
    if (self->seq != NULL) {
#ifdef Py_GIL_DISABLED
        Py_BEGIN_CRITICAL_SECTION(self->seq);
#endif
        if (self->index < PySequence_Fast_GET_SIZE(self->seq)) {
            o = PySequence_Fast_ITEMS(self->seq)[self->index];
            Py_INCREF(o);
        }
#ifdef Py_GIL_DISABLED
        Py_END_CRITICAL_SECTION();
#endif
        if (o == NULL) {
            Py_CLEAR(self->seq);
            return NULL;
        }
    } else if (self->it != NULL) {
        if ((o = PyIter_Next(self->it)) == NULL)
            return NULL;
    } else {
        return NULL;
    }
    if (!PyLong_Check(o)) {
        not_an_int(self->index, o);
        Py_DECREF(o);
        return NULL;
    }
    self->index++;
    return o;
}

static int int_items_traverse(IntItems *self, visitproc visit, void *arg)
{
    Py_VISIT(self->seq);
    Py_VISIT(self->it);
    return 0;
}

static int int_items_clear(IntItems *self)
{
    Py_CLEAR(self->seq);
    Py_CLEAR(self->it);
    return 0;
}

static void int_items_dealloc(IntItems *self)
{
    PyObject_GC_UnTrack(self);
    int_items_clear(self);
    PyObject_GC_Del(self);
}

static PyTypeObject IntItemsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gokernels._native._list_sum_items",
    .tp_basicsize = sizeof(IntItems),
    .tp_dealloc = (destructor)int_items_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)int_items_traverse,
    .tp_clear = (inquiry)int_items_clear,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)int_items_next,
};

static PyObject *builtin_sum; /* builtins.sum, taken at module init */

/* sum(rest, start), or, when sum() would have left its fast loops by now,
 * its generic loop: start + item, one item at a time. Steals start. */
static PyObject *sum_rest(PyObject *rest, PyObject *start, int generic)
{
    if (!generic) {
        PyObject *r = PyObject_CallFunctionObjArgs(builtin_sum, rest, start, NULL);
        Py_DECREF(start);
        return r;
    }
    PyObject *total = start, *o;
    while ((o = PyIter_Next(rest)) != NULL) {
        PyObject *t = PyNumber_Add(total, o);
        Py_DECREF(total);
        Py_DECREF(o);
        if ((total = t) == NULL)
            return NULL;
    }
    if (PyErr_Occurred())
        Py_CLEAR(total);
    return total;
}

/* Whether sum() would have left its C-long loop within items[0:n), all exact
 * ints: at an item beyond a C long, or when the running total overflows one
 * (CPython's loop tests the same things). Its generic loop, entered then,
 * adds later items one by one with no fast path, where its float loop (if a
 * float turns up) would not: since 3.14 that loop adds ints with compensated
 * summation, so the answer depends on which loop runs. */
static int sum_left_long_loop(PyObject *items, Py_ssize_t n)
{
    PyObject **v = PySequence_Fast_ITEMS(items);
    long acc = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int overflow;
        long b = PyLong_AsLongAndOverflow(v[i], &overflow);
        if (overflow || (acc >= 0 ? b > LONG_MAX - acc : b < LONG_MIN - acc))
            return 1;
        acc += b;
    }
    return 0;
}

/* The sum of an exact list or tuple of ints. */
static PyObject *sum_items(PyObject *items)
{
    __int128 acc = 0;
    PyObject *big = NULL; /* the part of the sum that needed Python ints */
    Py_ssize_t i = 0;
    PyObject *err = NULL;
    Py_ssize_t n; /* used after the critical section */
#ifdef Py_GIL_DISABLED
    /* Without a GIL another thread could change the list under the loop. */
    Py_BEGIN_CRITICAL_SECTION(items);
#endif
    PyObject **v = PySequence_Fast_ITEMS(items);
    n = PySequence_Fast_GET_SIZE(items);
    for (; i < n; i++) {
        PyObject *o = v[i];
        long long x;
        if (GK_LIKELY(PyLong_CheckExact(o) || PyBool_Check(o))) {
            if (GK_LIKELY(gk_small_int(o, &x))) {
                acc += x;
                continue;
            }
            /* An exact int beyond 64 bits: exact arithmetic runs no Python
             * code, and its grouping cannot change the answer. */
            if (big == NULL) {
                Py_INCREF(o);
                big = o;
                continue;
            }
            PyObject *t = PyNumber_Add(big, o);
            Py_DECREF(big);
            if ((big = t) == NULL)
                break;
            /* Cheap insurance: should anything have run meanwhile (a
             * collection's finalizer), read the list afresh. */
            v = PySequence_Fast_ITEMS(items);
            n = PySequence_Fast_GET_SIZE(items);
            continue;
        }
        if (!PyLong_Check(o))
            err = not_an_int(i, o);
        break; /* an int subclass at i (or an error) */
    }
#ifdef Py_GIL_DISABLED
    Py_END_CRITICAL_SECTION();
#endif
    if (err != NULL || PyErr_Occurred()) {
        Py_XDECREF(big);
        return NULL;
    }
    /* The exact total of items[0:i). */
    PyObject *total = long_from_i128(acc);
    if (total != NULL && big != NULL) {
        PyObject *t = PyNumber_Add(big, total);
        Py_DECREF(total);
        total = t;
    }
    Py_XDECREF(big);
    if (total == NULL || i >= n)
        return total;
    /* From the subclass at i on: sum()'s own semantics. */
    int generic = sum_left_long_loop(items, i);
    PyObject *rest = int_items_new(items, NULL, i);
    if (rest == NULL) {
        Py_DECREF(total);
        return NULL;
    }
    PyObject *r = sum_rest(rest, total, generic);
    Py_DECREF(rest);
    return r;
}

static const gk_sig list_sum_sig = GK_SIG("list_sum", 1, 1, "items");

static PyObject *list_sum(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *items;
    (void)module;
    if (gk_parse(&list_sum_sig, args, nargs, kwnames, &items) < 0)
        return NULL;
    if (PyList_CheckExact(items) || PyTuple_CheckExact(items))
        return sum_items(items);
    if (!PyList_Check(items) && !PyTuple_Check(items))
        return gk_type_error(list_sum_sig.name, "items", "a list or tuple of ints", items);
    /* A subclass may override __iter__, which sum() uses: sum() what it
     * yields, lazily, exactly as sum() would. */
    PyObject *it = PyObject_GetIter(items);
    if (it == NULL)
        return NULL;
    PyObject *rest = int_items_new(NULL, it, 0);
    Py_DECREF(it);
    if (rest == NULL)
        return NULL;
    PyObject *r = sum_rest(rest, PyLong_FromLong(0), 0);
    Py_DECREF(rest);
    return r;
}

int gk_lists_init(PyObject *module)
{
    (void)module;
    if (PyType_Ready(&IntItemsType) < 0)
        return -1;
    if (builtin_sum == NULL) {
        PyObject *builtins = PyImport_ImportModule("builtins");
        if (builtins == NULL)
            return -1;
        builtin_sum = PyObject_GetAttrString(builtins, "sum");
        Py_DECREF(builtins);
        if (builtin_sum == NULL)
            return -1;
    }
    return 0;
}

PyMethodDef gk_lists_methods[] = {
    {"list_sum", (PyCFunction)(void (*)(void))list_sum, METH_FASTCALL | METH_KEYWORDS,
     "list_sum($module, /, items)\n--\n\n"
     "Return the sum of a list or tuple of ints, exactly as sum(items) does\n"
     "(big ints and int subclasses included), reading the ints in place. Any\n"
     "item that is not an int (bool counts as int) raises TypeError."},
    {NULL, NULL, 0, NULL},
};
