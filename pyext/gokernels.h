/* Shared declarations of the gokernels._native extension module.
 *
 * This C code is the only place that touches PyObject. It unpacks arguments
 * into pointers and lengths, calls one Go function per Python call (through a
 * pointer bound on first use by loader.c) and builds the result.
 */
#ifndef GOKERNELS_H
#define GOKERNELS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#if defined(__GNUC__)
#define GK_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define GK_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define GK_UNLIKELY(x) (x)
#define GK_LIKELY(x) (x)
#endif

/* ---- loader.c: the Go library, loaded on first use ---- */

#include "golib/gkapi.h"

/* Every Go export, typed from its prototype in golib/gkapi.h, bound once by
 * the loader (dlsym over GK_EXPORTS) when the library loads: call
 * gk_go.GkName(...) after GK_LOAD(). */
typedef struct gk_go_api {
#define GK_GO_SLOT(name) __typeof__(name) *name;
    GK_EXPORTS(GK_GO_SLOT)
#undef GK_GO_SLOT
} gk_go_api;
/* Hidden: the module's own data, read with one PC-relative load (no GOT). */
#if defined(__GNUC__)
#define GK_HIDDEN __attribute__((visibility("hidden")))
#else
#define GK_HIDDEN
#endif
extern GK_HIDDEN gk_go_api gk_go;

/* 1 while the Go library is loaded, bound and usable in this process. */
extern GK_HIDDEN int gk_ready;

/* Loads the Go library if needed and binds every export into gk_go. Safe to
 * call from several threads at once (the load happens once, under a lock,
 * with the GIL released). Returns 0, or -1 with an exception set:
 * ImportError if the library or one of its exports is missing, or a Go
 * environment variable would abort the runtime (GOMEMLIMIT), MemoryError if
 * the address-space or data limit is too low for the runtime to start,
 * RuntimeError if its threads cannot be created or in a child forked after
 * the Go runtime started. A failed load is tried again on the next call. */
int gk_load_go(void);

/* GK_LOAD() makes gk_go callable, or returns NULL from the calling function
 * with the exception set; GK_LOAD_OR(stmt) runs stmt instead of returning.
 * After the first call it costs one predictable branch. */
#define GK_LOAD_OR(stmt)                                                                 \
    do {                                                                                 \
        if (GK_UNLIKELY(!__atomic_load_n(&gk_ready, __ATOMIC_ACQUIRE)) && gk_load_go() < 0) \
            stmt;                                                                        \
    } while (0)
#define GK_LOAD() GK_LOAD_OR(return NULL)

/* Inputs of at least this many bytes are processed with the GIL released.
 * Re-taking the GIL can wait a whole switch interval (5 ms) when another
 * thread is busy, so only work of about 100 us or more (256 KiB at a few
 * GB/s) is worth releasing it for. Faster kernels set their own threshold. */
#define GK_NOGIL_BYTES ((Py_ssize_t)1 << 18)

/* GK_MAYBE_NOGIL(big, stmt) runs stmt with the GIL released when big. */
#define GK_MAYBE_NOGIL(big, stmt)                                      \
    do {                                                               \
        if (big) {                                                     \
            Py_BEGIN_ALLOW_THREADS stmt; Py_END_ALLOW_THREADS          \
        } else {                                                       \
            stmt;                                                      \
        }                                                              \
    } while (0)

PyObject *gk_go_loaded(PyObject *module, PyObject *unused);
/* Registers the fork handlers (once, at module init). Returns 0 or -1. */
int gk_loader_init(void);
/* _runtime_needs(): what the preflight checks for (bytes, threads). */
PyObject *gk_runtime_needs(PyObject *module, PyObject *unused);

/* ---- args.c: vectorcall argument parsing ---- */

/* One Python function's signature: its name (for every message), its
 * parameters, how many may be passed by position (npos; the rest are
 * keyword-only) and how many are required (nreq, the first ones). */
typedef struct gk_sig {
    const char *name;
    const char *const *params;
    int nparams, npos, nreq;
} gk_sig;

/* GK_SIG("f", npos, nreq, "a", "b", ...): a static gk_sig's initializer. */
#define GK_SIG(fname, npos, nreq, ...)                                                            \
    {(fname), (const char *const[]){__VA_ARGS__},                                                 \
     (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)), (npos), (nreq)}

/* Parses (args, nargs, kwnames) against sig. out[0..sig->nparams) receives
 * borrowed references, NULL where omitted. Returns 0, or -1 with a TypeError
 * that names sig->name. gk_parse handles the common call (positional
 * arguments only) inline; gk_parse_slow does the rest. */
int gk_parse_slow(const gk_sig *sig, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  PyObject **out);

static inline int gk_parse(const gk_sig *sig, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                           PyObject **out)
{
    if (GK_LIKELY(kwnames == NULL && nargs >= sig->nreq && nargs <= sig->npos)) {
        for (int i = 0; i < sig->nparams; i++)
            out[i] = i < nargs ? args[i] : NULL;
        return 0;
    }
    return gk_parse_slow(sig, args, nargs, kwnames, out);
}

/* What an int argument may be: the one integer parser's rules. */
typedef struct gk_int_rule {
    const char *arg;   /* the parameter's name */
    const char *type;  /* TypeError "must be <type>" when it is no int */
    const char *range; /* ValueError "must be <range>" below lo (and above hi, unless `above`) */
    long long lo, hi;
    /* Above hi: GK_ABOVE_RANGE is the ValueError above; GK_ABOVE_CLAMP gives
     * hi + 1 (a caller's "no bound"); GK_ABOVE_OVERFLOW raises OverflowError
     * "must be <overflow>" (NULL: "at most <hi>"). */
    enum { GK_ABOVE_RANGE, GK_ABOVE_CLAMP, GK_ABOVE_OVERFLOW } above;
    const char *overflow;
} gk_int_rule;

/* Reads the float argument `arg` of fname: a float or an int (one beyond
 * every float reads as HUGE_VAL). Returns 0, or -1 with TypeError naming it. */
int gk_parse_float(const char *fname, const char *arg, PyObject *o, double *v);

/* Reads the int argument o of fname by rule. Returns 0 with *v set, or -1
 * with TypeError, ValueError or OverflowError naming the argument. */
int gk_parse_int(const char *fname, const gk_int_rule *rule, PyObject *o, long long *v);

/* Raises TypeError "fname() argument 'arg' must be what, not T"; returns NULL. */
PyObject *gk_type_error(const char *fname, const char *arg, const char *what,
                        PyObject *got);

/* Raises ValueError "fname() argument 'arg' must be what, not repr(got)",
 * describing an int beyond 64 bits instead of printing it (its str() can
 * exceed Python's int-to-str digit limit and raise instead). Returns NULL. */
PyObject *gk_value_error(const char *fname, const char *arg, const char *what,
                         PyObject *got);

/* PyObject_GetBuffer for the argument `arg` (or, when item >= 0, the item
 * of that index) of fname. A buffer its exporter refuses to give (not
 * C-contiguous, a released memoryview: BufferError, or ValueError from
 * numpy) raises BufferError naming fname and the argument or item, with
 * the exporter's reason. Returns 0, or -1 with an exception set. */
int gk_get_buffer(const char *fname, const char *arg, Py_ssize_t item,
                  PyObject *o, Py_buffer *view, int flags);

/* Parses workers: None (or omitted) -> 0, meaning one per CPU; else an int
 * in [1, 4096]. Returns 0, or -1 with TypeError/ValueError naming it. */
int gk_parse_workers(const char *fname, PyObject *o, long long *workers);

/* Parses seed: None (or omitted) -> unseeded; else an int, reduced to its low
 * 64 bits. Returns 0, or -1 with a TypeError naming it. */
int gk_parse_seed(const char *fname, PyObject *o, uint64_t *seed, int *seeded);

/* Raises the exception of a gk_status that needs only the function's name
 * (MemoryError, KeyboardInterrupt unless a handler's exception is set, the
 * ValueErrors of bad serialized data "fname(): why"); statuses that name an
 * argument or a module's own exception are raised by their caller. Returns
 * NULL. */
PyObject *gk_raise_status(gk_status st, const char *fname);

/* A str's PEP 393 storage. */
typedef struct {
    int kind;            /* 1, 2 or 4 bytes per code point */
    const void *data;
    Py_ssize_t length;   /* in code points */
} gk_str;

/* Fills *out from a str (or subclass). Returns 0, or -1 with an error. */
int gk_get_str(PyObject *s, gk_str *out);

#if PY_VERSION_HEX < 0x030B0000
#include <longintrepr.h>
#endif

/* Reads an exact int (or bool) o that fits in 64 bits straight from the
 * object. Returns 1 and sets *v, or 0 when it is too big (no error set). */
static inline int gk_small_int(PyObject *o, long long *v)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (PyUnstable_Long_IsCompact((PyLongObject *)o)) {
        *v = (long long)PyUnstable_Long_CompactValue((PyLongObject *)o);
        return 1;
    }
#else
    Py_ssize_t size = Py_SIZE(o);
    if (size >= -1 && size <= 1) {
        *v = size == 0 ? 0 : size * (long long)((PyLongObject *)o)->ob_digit[0];
        return 1;
    }
#endif
    int overflow;
    *v = PyLong_AsLongLongAndOverflow(o, &overflow);
    return overflow == 0;
}

/* ---- one method table (and optional init) per kernel ---- */
extern PyMethodDef gk_doubles_methods[];
extern PyMethodDef gk_lists_methods[];
extern PyMethodDef gk_text_methods[];
extern PyMethodDef gk_cvm_methods[];
extern PyMethodDef gk_lzstring_methods[];
int gk_lzstring_init(PyObject *module);
int gk_cvm_init(PyObject *module);
int gk_lists_init(PyObject *module);


/* ---- job.c: long calls that answer Ctrl-C (rel-b, issue 11); gk_job is golib/gkjob.h's ---- */

/* How a call runs: 0 in this thread (the GIL released when it is long), 1
 * as a job, or -1 with MemoryError. Only a long call (long_call) on the
 * main thread of the main interpreter, the only one that runs signal
 * handlers, is a job; a long one elsewhere first checks the Go runtime's
 * headroom, as gk_job_init does. */
int gk_job_choose(int long_call);

/* Prepares job for one Go call started with it (with the headroom check).
 * Returns 0, or -1 with MemoryError or RuntimeError. */
int gk_job_init(gk_job *job);

/* Waits for the Go work started with job, GIL released, running signal
 * handlers every 20 ms. Returns 0 once the work is done, or -1 with the
 * handler's exception (KeyboardInterrupt) once the work, asked to stop, has
 * stopped. Either way job is finished and Go no longer uses it. */
int gk_job_wait(gk_job *job);

#endif
