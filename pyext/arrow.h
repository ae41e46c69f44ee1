/* The C-Go contract for Arrow columns: the Arrow C data interface structs
 * (their ABI, from the Arrow specification) and the Go exports of
 * pyext/golib/arrow.go. Included by arrow.c and by the cgo preamble, so a
 * mismatch between the two fails the build. No Python.h here.
 */
#ifndef GK_ARROW_H
#define GK_ARROW_H

#include <stdint.h>

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* What a failed Go call reports: the Python exception to raise. */
enum { GK_ARROW_OK = 0, GK_ARROW_TYPE_ERROR = 1, GK_ARROW_VALUE_ERROR = 2, GK_ARROW_NO_MEMORY = 3 };

/* Starts counting one array into the CVM counter `counter` (a cgo.Handle):
 * checks the schema and the array and returns a scan handle, with *rows the
 * number of rows to pass per GkArrowScanRun call (so C can check signals
 * between calls). On failure returns 0, with *kind an error kind and *err a
 * malloc'ed message for the caller to free. */
uintptr_t GkArrowScanNew(uintptr_t counter, struct ArrowSchema *schema, struct ArrowArray *array,
                         int64_t *rows, int *kind, char **err);

/* Adds rows [lo, hi) on all cores (no Python; the GIL may be released).
 * Returns GK_ARROW_OK or an error kind with *err set as above. */
int GkArrowScanRun(uintptr_t scan, struct ArrowSchema *schema, struct ArrowArray *array, int64_t lo,
                   int64_t hi, char **err);

/* Adds what is left (a dictionary's used values), merges the per-core
 * counters into the counter and frees the scan. Returns as GkArrowScanRun. */
int GkArrowScanFinish(uintptr_t scan, struct ArrowSchema *schema, struct ArrowArray *array, char **err);

/* Frees a scan without adding to the counter what it has not added yet. */
void GkArrowScanFree(uintptr_t scan);

#ifdef Py_PYTHON_H
/* The hook in cvm.c's feed(): counts items into the counter h if it exports
 * Arrow data (and is not a container of Python objects). Returns 1 if it
 * did, 0 if items is not Arrow data (nothing done), -1 with an exception. */
int gk_arrow_add(uintptr_t h, PyObject *items);

/* True if items's type has __arrow_c_array__ or __arrow_c_stream__ (for the
 * "must be an iterable" checks: such an object need not be iterable). */
int gk_arrow_exports(PyObject *items);
#endif

#endif /* GK_ARROW_H */
