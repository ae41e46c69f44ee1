/* list_sum(items): the sum of a list or tuple of ints, read in place.
 *
 * The first article's Rust list_sum lost to builtin sum() because PyO3
 * converted the whole list into a Vec<i64> before adding. The lesson is that
 * the conversion is the work: this kernel walks the list's item array once,
 * reads small ints straight from their objects, adds them in a 128-bit
 * accumulator (no overflow for any list that fits in memory), and hands ints
 * beyond 64 bits to Python's own arithmetic. Crossing into Go would add a call
 * and gain nothing, so this kernel is C alone.
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

static PyObject *sum_items(PyObject *items);

static PyObject *list_sum(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"items"};
    PyObject *items;
    (void)module;
    if (gk_parse("list_sum", args, nargs, kwnames, names, 1, 1, 1, &items) < 0)
        return NULL;
    if (!PyList_Check(items) && !PyTuple_Check(items))
        return gk_type_error("list_sum", "items", "a list or tuple of ints", items);
    /* A subclass may override __iter__, which sum() would use: take what it
     * yields. Exact lists and tuples are read in place. */
    PyObject *owned = NULL;
    if (!PyList_CheckExact(items) && !PyTuple_CheckExact(items)) {
        if ((owned = PySequence_List(items)) == NULL)
            return NULL;
        items = owned;
    }
    PyObject *r = sum_items(items);
    Py_XDECREF(owned);
    return r;
}

/* The sum of an exact list or tuple of ints. */
static PyObject *sum_items(PyObject *items)
{

    __int128 acc = 0;
    PyObject *big = NULL; /* the part of the sum that needed Python ints */
    /* A list can change length if an int subclass's __add__ runs Python code,
     * so the size and item array are re-read on every step. */
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); i++) {
        PyObject *o = PySequence_Fast_ITEMS(items)[i];
        long long v;
        if (GK_UNLIKELY(!PyLong_Check(o))) {
            Py_XDECREF(big);
            PyErr_Format(PyExc_TypeError,
                         "list_sum() argument 'items' must contain only ints; "
                         "item %zd is %.200s", i, Py_TYPE(o)->tp_name);
            return NULL;
        }
        if ((PyLong_CheckExact(o) || PyBool_Check(o)) && gk_small_int(o, &v)) {
            acc += v;
            continue;
        }
        if (PyErr_Occurred()) {
            Py_XDECREF(big);
            return NULL;
        }
        /* A big int, or an int subclass (whose __add__ may differ): Python's
         * arithmetic, in the same order as sum() would apply it. */
        PyObject *partial = long_from_i128(acc);
        if (partial == NULL) {
            Py_XDECREF(big);
            return NULL;
        }
        acc = 0;
        if (big != NULL) {
            PyObject *t = PyNumber_Add(big, partial);
            Py_DECREF(big);
            Py_DECREF(partial);
            if (t == NULL)
                return NULL;
            partial = t;
        }
        Py_INCREF(o);
        big = PyNumber_Add(partial, o);
        Py_DECREF(partial);
        Py_DECREF(o);
        if (big == NULL)
            return NULL;
    }
    PyObject *rest = long_from_i128(acc);
    if (big == NULL || rest == NULL) {
        if (big == NULL)
            return rest;
        Py_DECREF(big);
        return NULL;
    }
    PyObject *total = PyNumber_Add(big, rest);
    Py_DECREF(big);
    Py_DECREF(rest);
    return total;
}

PyMethodDef gk_lists_methods[] = {
    {"list_sum", (PyCFunction)(void (*)(void))list_sum, METH_FASTCALL | METH_KEYWORDS,
     "list_sum($module, /, items)\n--\n\n"
     "Return the sum of a list or tuple of ints, exactly as sum(items) does\n"
     "(big ints included), reading the ints in place. Any item that is not an\n"
     "int (bool counts as int) raises TypeError."},
    {NULL, NULL, 0, NULL},
};
