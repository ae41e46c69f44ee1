/* lz-string: the ten compress/decompress functions, and batch versions that
 * run a list of strings on all cores (Go: kernels/lzstring, exports in
 * golib/lzstring.go).
 *
 * A str goes to Go as its PEP 393 storage; Go treats it as UTF-16 code units,
 * as JavaScript does, and hands back malloc'ed code points already in the
 * narrowest kind (surrogate pairs joined), which C copies into a new str.
 */
#include "gokernels.h"

#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif

#include <stdlib.h>
#include <string.h>

/* The operations (GK_LZ_COMPRESS, GK_LZ_DECOMPRESS), the formats (GK_LZ_RAW
 * .. GK_LZ_UINT8), gk_lzout and its statuses are golib/gkapi.h's. */
/* The default bound on decompressed length, in UTF-16 units (128 MiB of
 * UTF-16): a 56 KB stream can otherwise ask for 512M units. */
#define DEFAULT_MAX_LENGTH ((int64_t)1 << 26)
/* Calls run with the GIL released from these input sizes (in units): about
 * 100 us of compression; decompression output can be far longer than its
 * input (quadratically, for a bomb), so it releases from smaller inputs. */
#define LZ_NOGIL_COMPRESS ((Py_ssize_t)1 << 13)
#define LZ_NOGIL_DECOMPRESS ((Py_ssize_t)1 << 10)
#define LZ_NOGIL_UNITS(op) ((op) == GK_LZ_COMPRESS ? LZ_NOGIL_COMPRESS : LZ_NOGIL_DECOMPRESS)
/* From these input sizes a call runs as a job (job.c) that Ctrl-C can stop:
 * a few milliseconds of work, so that a call below them ends well within
 * 100 ms. A decompressor's input of 4K units can ask for at most about 12M
 * units of output (a phrase grows by at most one unit per code). */
#define LZ_JOB_COMPRESS ((Py_ssize_t)1 << 16)
#define LZ_JOB_DECOMPRESS ((Py_ssize_t)1 << 12)
#define LZ_JOB_UNITS(op) ((op) == GK_LZ_COMPRESS ? LZ_JOB_COMPRESS : LZ_JOB_DECOMPRESS)

static PyObject *DecompressError;
static PyObject *OutputTooLongError; /* a DecompressError: max_length was reached */

static const char *const FORMAT_NAMES[] = {"raw", "utf16", "base64", "uri", "bytes"};

/* Makes the Python object for one finished operation, empty: its storage is
 * filled from o->data by lz_fill (here) or GkLZCopy (in Go, for batches).
 * Returns NULL with the operation's error, or MemoryError. */
static PyObject *lz_alloc(const char *fname, const gk_lzout *o, int64_t max_len, Py_ssize_t item)
{
    char where[48] = "";
    if (item >= 0)
        PyOS_snprintf(where, sizeof where, " (item %zd)", item);
    switch (o->status) {
    case GK_OK:
        /* Go chose the narrowest kind for maxchar, which is the kind
         * PyUnicode_New picks: a plain copy gives a canonical str. */
        return o->kind == 0 ? PyBytes_FromStringAndSize(NULL, (Py_ssize_t)o->len)
                            : PyUnicode_New((Py_ssize_t)o->len, (Py_UCS4)o->maxchar);
    case GK_ERR_CORRUPT:
        PyErr_Format(DecompressError, "%s(): invalid or corrupt input%s", fname, where);
        return NULL;
    case GK_ERR_TOO_LONG:
        if (max_len >= 0)
            PyErr_Format(OutputTooLongError,
                         "%s(): output would exceed max_length=%lld units%s; pass a larger max_length, or None "
                         "for trusted input",
                         fname, (long long)max_len, where);
        else
            PyErr_Format(OutputTooLongError, "%s(): output longer than the reference can build%s", fname, where);
        return NULL;
    default:
        /* GK_ERR_STOPPED: only a raising signal handler stops a call, and
         * its exception is set; GK_ERR_NO_MEMORY: MemoryError. */
        return gk_raise_status((gk_status)o->status, fname);
    }
}

/* The storage of an object made by lz_alloc. */
static void *lz_storage(PyObject *r)
{
    return PyBytes_Check(r) ? (void *)PyBytes_AS_STRING(r) : PyUnicode_DATA(r);
}

/* Builds the Python result of one operation and frees its data. */
static PyObject *lz_result(const char *fname, gk_lzout *o, int64_t max_len)
{
    PyObject *r = lz_alloc(fname, o, max_len, -1);
    if (r != NULL)
        memcpy(lz_storage(r), o->data, (size_t)o->len * (size_t)(o->kind ? o->kind : 1));
    free(o->data);
    o->data = NULL;
    return r;
}

/* Parses max_length: an int >= 0, or None for no bound (-1). */
static int parse_max_length(const char *fname, PyObject *o, int64_t *out)
{
    *out = DEFAULT_MAX_LENGTH;
    if (o == NULL)
        return 0;
    if (o == Py_None) {
        *out = -1;
        return 0;
    }
    /* Above 2**40: larger than anything that fits in memory, so no bound. */
    static const gk_int_rule rule = {"max_length", "an int or None", ">= 0 or None", 0, (long long)1 << 40,
                                     GK_ABOVE_CLAMP, NULL};
    long long v;
    if (gk_parse_int(fname, &rule, o, &v) < 0)
        return -1;
    *out = v > rule.hi ? -1 : v;
    return 0;
}

/* Runs one operation on n items of data (units: its size in UTF-16 units):
 * small ones in this thread, mid-sized ones with the GIL released, long ones
 * as a job that Ctrl-C stops on the main thread (elsewhere as mid-sized
 * ones). Returns 0 with *out filled, or -1 with an exception (and *out
 * holding nothing to free). */
static int lz_run(int op, int format, int kind, const void *data, int64_t n, Py_ssize_t units, int64_t max_len,
                  gk_lzout *out)
{
    int as_job = gk_job_choose(units >= LZ_JOB_UNITS(op));
    if (as_job < 0)
        return -1;
    if (!as_job) {
        GK_MAYBE_NOGIL(units >= LZ_NOGIL_UNITS(op), gk_go.GkLZ(op, format, kind, (void *)data, n, max_len, out));
        return 0;
    }
    gk_job job;
    if (gk_job_init(&job) < 0)
        return -1;
    gk_go.GkLZStart(op, format, kind, (void *)data, n, max_len, out, &job);
    if (gk_job_wait(&job) < 0) {
        free(out->data); /* NULL when stopped; set if it finished meanwhile */
        out->data = NULL;
        return -1;
    }
    return 0;
}

static PyObject *lz_call(const gk_sig *sig, int op, int format, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames)
{
    const char *fname = sig->name, *arg = sig->params[0];
    PyObject *a[2] = {NULL, NULL};
    if (gk_parse(sig, args, nargs, kwnames, a) < 0)
        return NULL;
    int64_t max_len = -1;
    if (op == GK_LZ_DECOMPRESS && parse_max_length(fname, a[1], &max_len) < 0)
        return NULL;
    GK_LOAD();
    gk_lzout out = {NULL, 0, 0, 0, 0};
    if (op == GK_LZ_DECOMPRESS && format == GK_LZ_UINT8) {
        if (!PyObject_CheckBuffer(a[0]))
            return gk_type_error(fname, arg, "a bytes-like object", a[0]);
        Py_buffer view;
        if (gk_get_buffer(fname, arg, -1, a[0], &view, PyBUF_SIMPLE) < 0)
            return NULL;
        int r = lz_run(op, format, 0, view.buf, view.len, view.len / 2, max_len, &out);
        PyBuffer_Release(&view);
        return r < 0 ? NULL : lz_result(fname, &out, max_len);
    }
    if (!PyUnicode_Check(a[0]))
        return gk_type_error(fname, arg, "str", a[0]);
    gk_str u;
    if (gk_get_str(a[0], &u) < 0)
        return NULL;
    if (lz_run(op, format, u.kind, u.data, u.length, u.length, max_len, &out) < 0)
        return NULL;
    return lz_result(fname, &out, max_len);
}

/* One function per operation and format, with its signature (the input's
 * name, then max_length for the decompressors). */
#define LZ_FUNC(name, op, format, ...)                                                                     \
    static const gk_sig name##_sig = GK_SIG(#name, __VA_ARGS__);                                            \
    static PyObject *name(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)    \
    {                                                                                                      \
        (void)module;                                                                                      \
        return lz_call(&name##_sig, op, format, args, nargs, kwnames);                                     \
    }

LZ_FUNC(compress, GK_LZ_COMPRESS, GK_LZ_RAW, 1, 1, "s")
LZ_FUNC(compress_to_utf16, GK_LZ_COMPRESS, GK_LZ_UTF16, 1, 1, "s")
LZ_FUNC(compress_to_base64, GK_LZ_COMPRESS, GK_LZ_BASE64, 1, 1, "s")
LZ_FUNC(compress_to_encoded_uri_component, GK_LZ_COMPRESS, GK_LZ_URI, 1, 1, "s")
LZ_FUNC(compress_to_uint8array, GK_LZ_COMPRESS, GK_LZ_UINT8, 1, 1, "s")
LZ_FUNC(decompress, GK_LZ_DECOMPRESS, GK_LZ_RAW, 2, 1, "s", "max_length")
LZ_FUNC(decompress_from_utf16, GK_LZ_DECOMPRESS, GK_LZ_UTF16, 2, 1, "s", "max_length")
LZ_FUNC(decompress_from_base64, GK_LZ_DECOMPRESS, GK_LZ_BASE64, 2, 1, "s", "max_length")
LZ_FUNC(decompress_from_encoded_uri_component, GK_LZ_DECOMPRESS, GK_LZ_URI, 2, 1, "s", "max_length")
LZ_FUNC(decompress_from_uint8array, GK_LZ_DECOMPRESS, GK_LZ_UINT8, 2, 1, "data", "max_length")

/* Parses a format name into GK_LZ_*; "bytes" means the Uint8Array form. */
static int parse_format(const char *fname, PyObject *o)
{
    if (o == NULL)
        return GK_LZ_BASE64;
    if (!PyUnicode_Check(o)) {
        gk_type_error(fname, "format", "a str", o);
        return -1;
    }
    for (int i = 0; i < 5; i++)
        if (PyUnicode_CompareWithASCIIString(o, FORMAT_NAMES[i]) == 0)
            return i;
    PyErr_Format(PyExc_ValueError, "%s() argument 'format' must be one of 'raw', 'utf16', 'base64', 'uri', 'bytes', "
                 "not %R", fname, o);
    return -1;
}

static const gk_sig compress_many_sig = GK_SIG("compress_many", 2, 1, "items", "format", "workers");
static const gk_sig decompress_many_sig =
    GK_SIG("decompress_many", 2, 1, "items", "format", "max_length", "workers");

/* The batch of sig: compress_many (items, format, workers) or
 * decompress_many (items, format, max_length, workers). */
static PyObject *lz_batch(const gk_sig *sig, int op, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    const char *fname = sig->name;
    PyObject *a[4];
    if (gk_parse(sig, args, nargs, kwnames, a) < 0)
        return NULL;
    int format = parse_format(fname, a[1]);
    if (format < 0)
        return NULL;
    int64_t max_len = -1;
    if (op == GK_LZ_DECOMPRESS && parse_max_length(fname, a[2], &max_len) < 0)
        return NULL;
    long long workers;
    if (gk_parse_workers(fname, a[sig->nparams - 1], &workers) < 0)
        return NULL;
    if (!PySequence_Check(a[0]) && Py_TYPE(a[0])->tp_iter == NULL)
        return gk_type_error(fname, "items", "an iterable", a[0]);
    if (PyUnicode_Check(a[0]) || PyBytes_Check(a[0])) {
        /* Iterating it would treat each character as a string: surely a mistake. */
        return gk_type_error(fname, "items", "an iterable of strings (a list, say)", a[0]);
    }
    /* A list of our own keeps every item alive while the GIL is released,
     * whatever other threads do to the caller's list. A list, not a tuple:
     * list() asks __len__/__length_hint__ on every version (and passes their
     * errors on); tuple() stopped asking in 3.14. */
    PyObject *items = PySequence_List(a[0]);
    if (items == NULL)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(items);
    int *kinds = PyMem_Malloc((n + 1) * sizeof(int));
    void **datas = PyMem_Malloc((n + 1) * sizeof(void *));
    int64_t *lens = PyMem_Malloc((n + 1) * sizeof(int64_t));
    gk_lzout *outs = PyMem_Calloc(n + 1, sizeof(gk_lzout));
    Py_buffer *views = op == GK_LZ_DECOMPRESS && format == GK_LZ_UINT8 ? PyMem_Calloc(n + 1, sizeof(Py_buffer)) : NULL;
    Py_ssize_t nviews = 0;
    PyObject *result = NULL;
    if (!kinds || !datas || !lens || !outs || (op == GK_LZ_DECOMPRESS && format == GK_LZ_UINT8 && !views)) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyList_GET_ITEM(items, i);
        if (views) {
            if (!PyObject_CheckBuffer(o)) {
                PyErr_Format(PyExc_TypeError, "%s() item %zd must be a bytes-like object, not %.200s", fname, i,
                             Py_TYPE(o)->tp_name);
                goto done;
            }
            if (gk_get_buffer(fname, NULL, i, o, &views[i], PyBUF_SIMPLE) < 0)
                goto done;
            nviews++;
            kinds[i] = 0;
            datas[i] = views[i].buf;
            lens[i] = views[i].len;
            continue;
        }
        if (!PyUnicode_Check(o)) {
            PyErr_Format(PyExc_TypeError, "%s() item %zd must be str, not %.200s", fname, i, Py_TYPE(o)->tp_name);
            goto done;
        }
        gk_str u;
        if (gk_get_str(o, &u) < 0)
            goto done;
        kinds[i] = u.kind;
        datas[i] = (void *)u.data;
        lens[i] = u.length;
    }
    GK_LOAD_OR(goto done);
    {
        /* A job, stopped by Ctrl-C: a batch can run for seconds. */
        gk_job job;
        if (gk_job_init(&job) < 0)
            goto done;
        gk_go.GkLZBatch(op, format, n, kinds, datas, lens, max_len, workers, outs, &job);
        if (gk_job_wait(&job) < 0)
            goto done;
    }

    /* Allocate every result here (the GIL is needed for that), then fill
     * them in Go on all cores: the serial part stays small. */
    result = PyList_New(n);
    if (result == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = lz_alloc(fname, &outs[i], max_len, i);
        if (r == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, r);
        datas[i] = lz_storage(r); /* reused: now the destinations */
    }
    Py_BEGIN_ALLOW_THREADS gk_go.GkLZCopy(n, outs, datas, workers);
    Py_END_ALLOW_THREADS
done:
    if (outs) {
        size_t freed = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (outs[i].data != NULL)
                freed += (size_t)outs[i].len * (size_t)(outs[i].kind > 0 ? outs[i].kind : 1);
            free(outs[i].data);
        }
#ifdef __GLIBC__
        /* Go asks glibc for memory back 100 ms after a big call (memory.go),
         * which on a busy machine can come before these frees: a batch
         * stopped by Ctrl-C then kept its outputs' pages (+24 MiB seen). */
        if (freed >= (size_t)8 << 20)
            malloc_trim(0);
#endif
    }
    for (Py_ssize_t i = 0; i < nviews; i++)
        PyBuffer_Release(&views[i]);
    PyMem_Free(views);
    PyMem_Free(kinds);
    PyMem_Free(datas);
    PyMem_Free(lens);
    PyMem_Free(outs);
    Py_DECREF(items);
    return result;
}

static PyObject *compress_many(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)module;
    return lz_batch(&compress_many_sig, GK_LZ_COMPRESS, args, nargs, kwnames);
}

static PyObject *decompress_many(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)module;
    return lz_batch(&decompress_many_sig, GK_LZ_DECOMPRESS, args, nargs, kwnames);
}

int gk_lzstring_init(PyObject *module)
{
    DecompressError = PyErr_NewExceptionWithDoc(
        "gokernels.lzstring.DecompressError",
        "Raised by the lz-string decompressors where the JavaScript reference returns null or throws, where\n"
        "the stream's first code is 3 (the reference returns text with \"undefined\" spliced in, or null), and\n"
        "when the output would exceed max_length (OutputTooLongError). A subclass of ValueError.",
        PyExc_ValueError, NULL);
    if (DecompressError == NULL)
        return -1;
    Py_INCREF(DecompressError);
    if (PyModule_AddObject(module, "DecompressError", DecompressError) < 0) {
        Py_DECREF(DecompressError);
        return -1;
    }
    OutputTooLongError = PyErr_NewExceptionWithDoc(
        "gokernels.lzstring.OutputTooLongError",
        "A DecompressError raised when the output would exceed max_length (a guard against decompression\n"
        "bombs), not because the input is invalid.",
        DecompressError, NULL);
    if (OutputTooLongError == NULL)
        return -1;
    Py_INCREF(OutputTooLongError);
    if (PyModule_AddObject(module, "OutputTooLongError", OutputTooLongError) < 0) {
        Py_DECREF(OutputTooLongError);
        return -1;
    }
    return PyModule_AddIntConstant(module, "DEFAULT_MAX_LENGTH", (long)DEFAULT_MAX_LENGTH);
}

#define COMPRESS_DOC(name, what)                                                                          \
    name "($module, /, s)\n--\n\n"                                                                        \
    "Compress the str s " what ", byte-exact with the JavaScript lz-string 1.5.0. s is taken\n"            \
    "as UTF-16 code units, as JavaScript sees it. Ctrl-C interrupts a long call."
#define DECOMPRESS_DOC(name, arg, what)                                                                   \
    name "($module, /, " arg ", max_length=67108864)\n--\n\n"                                             \
    "Decompress " what ", returning exactly what the JavaScript lz-string 1.5.0 returns\n"                 \
    "(\"\" for some truncated input). Raises DecompressError (a ValueError) where the\n"                   \
    "reference returns null or throws, and where the stream's first code is 3: there\n"                    \
    "the reference reads an undefined dictionary entry and returns text with\n"                            \
    "\"undefined\" spliced in (decompress(\"\\uc0f5\\u4000\") is \"xundefinedx\" in JS), or null.\n"         \
    "Raises OutputTooLongError (a DecompressError) when the output would exceed\n"                         \
    "max_length UTF-16 units (default 2**26; None for no bound, only for trusted\n"                        \
    "input), and MemoryError when there is no memory for the output. Ctrl-C\n"                              \
    "interrupts a long call (KeyboardInterrupt)."
#define FASTKW (METH_FASTCALL | METH_KEYWORDS)
#define F(fn) ((PyCFunction)(void (*)(void))(fn))

PyMethodDef gk_lzstring_methods[] = {
    {"compress", F(compress), FASTKW, COMPRESS_DOC("compress", "to 16 bits per character (raw)")},
    {"compress_to_utf16", F(compress_to_utf16), FASTKW,
     COMPRESS_DOC("compress_to_utf16", "to valid UTF-16 (15 bits per character)")},
    {"compress_to_base64", F(compress_to_base64), FASTKW, COMPRESS_DOC("compress_to_base64", "to Base64")},
    {"compress_to_encoded_uri_component", F(compress_to_encoded_uri_component), FASTKW,
     COMPRESS_DOC("compress_to_encoded_uri_component", "to URI-safe Base64 (A-Za-z0-9+-$)")},
    {"compress_to_uint8array", F(compress_to_uint8array), FASTKW,
     COMPRESS_DOC("compress_to_uint8array", "to bytes (the raw form's units, big-endian)")},
    {"decompress", F(decompress), FASTKW, DECOMPRESS_DOC("decompress", "s", "the raw form")},
    {"decompress_from_utf16", F(decompress_from_utf16), FASTKW,
     DECOMPRESS_DOC("decompress_from_utf16", "s", "the UTF-16 form")},
    {"decompress_from_base64", F(decompress_from_base64), FASTKW,
     DECOMPRESS_DOC("decompress_from_base64", "s", "the Base64 form")},
    {"decompress_from_encoded_uri_component", F(decompress_from_encoded_uri_component), FASTKW,
     DECOMPRESS_DOC("decompress_from_encoded_uri_component", "s", "the URI-safe form")},
    {"decompress_from_uint8array", F(decompress_from_uint8array), FASTKW,
     DECOMPRESS_DOC("decompress_from_uint8array", "data", "any bytes-like object (odd length is an error)")},
    {"compress_many", F(compress_many), FASTKW,
     "compress_many($module, /, items, format='base64', *, workers=None)\n--\n\n"
     "Compress every str of items in the given format ('raw', 'utf16', 'base64',\n"
     "'uri' or 'bytes') on up to `workers` threads (default: one per CPU) with the\n"
     "GIL released; returns a list in the same order. Ctrl-C interrupts it."},
    {"decompress_many", F(decompress_many), FASTKW,
     "decompress_many($module, /, items, format='base64', *, max_length=67108864, workers=None)\n--\n\n"
     "Decompress every item (str, or bytes-like for format='bytes') on up to\n"
     "`workers` threads with the GIL released; returns a list in the same order.\n"
     "The first item that fails raises DecompressError naming its index.\n"
     "Ctrl-C interrupts it."},
    {NULL, NULL, 0, NULL},
};
