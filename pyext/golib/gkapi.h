/* The C-Go contract: every export of the Go library, its shared structs,
 * enums and error codes, declared once.
 *
 * Plain C, no Python.h. Included by the cgo preamble of every golib file
 * that exports (cgo then writes its own prototype of each export beside
 * these in _cgo_export.h, so an export whose Go signature disagrees with its
 * line here fails the Go build with "conflicting types"), and by
 * ../gokernels.h, so the C callers are typed from these same lines: the
 * function pointers of gk_go are __typeof__ the prototypes below. The
 * prototypes name no symbol C links against (the library is dlopen()ed and
 * bound by dlsym, loader.c); GK_EXPORTS is the one list the loader binds.
 *
 * Types follow cgo's: unsafe.Pointer is void *, *unsafe.Pointer void **.
 */
#ifndef GK_API_H
#define GK_API_H

#include <stdint.h>

#include "gkjob.h"

/* ---- error codes: what a failed Go call reports (C raises the exception) ---- */
typedef enum gk_status {
    GK_OK = 0,
    GK_ERR_NO_MEMORY,   /* MemoryError */
    GK_ERR_STOPPED,     /* a job was stopped (Ctrl-C): the signal handler's exception */
    GK_ERR_CORRUPT,     /* lz-string: invalid or corrupt input (DecompressError) */
    GK_ERR_TOO_LONG,    /* lz-string: output beyond max_length (OutputTooLongError) */
    GK_ERR_EPSILON,     /* cvm threshold: epsilon not in (0, 1) */
    GK_ERR_DELTA,       /* cvm threshold: delta not in (0, 1) */
    GK_ERR_TOO_LARGE,   /* cvm threshold: the buffer would not fit in memory */
    GK_ERR_MISMATCH,    /* cvm merge: different seeds or thresholds */
    GK_ERR_TRUNCATED,   /* cvm decode: truncated or extended data */
    GK_ERR_MAGIC,       /* cvm decode: not a serialized counter */
    GK_ERR_VERSION,     /* cvm decode: unsupported format version */
    GK_ERR_CHECKSUM,    /* cvm decode: checksum mismatch */
    GK_ERR_CONTENT,     /* cvm decode: inconsistent content */
    GK_ERR_SURROGATE,   /* doubles: a surrogate has no UTF-8 (str.encode() raises) */
    GK_ERR_UNSUPPORTED, /* arrow: a format the column path does not read (TypeError, Go's message) */
    GK_ERR_INVALID,     /* arrow: invalid array data or range (ValueError, Go's message) */
    GK_STATUS_COUNT
} gk_status;

/* ---- text (golib/text.go) ---- */
int64_t GkShortLong(int kind, void *data, int64_t n, int64_t *total);
void GkRandomString(int kind, void *dst, int64_t n, void *alphabet, int64_t alen, uint64_t seed, int seeded);
void GkRandomStringStart(int kind, void *dst, int64_t n, void *alphabet, int64_t alen, uint64_t seed, int seeded,
                         gk_job *job, int *stopped);

/* ---- doubles (golib/doubles.go) ---- */
/* Counts doubles in n code points of a PEP 393 kind (1, 2, 4) or n bytes (kind 1). */
int64_t GkCountUnits(int kind, void *data, int64_t n);
int64_t GkCountParallel(int kind, void *data, int64_t n, int64_t workers);
/* Counts doubles in the UTF-8 bytes of n code points into *count: GK_OK, or
 * GK_ERR_SURROGATE (the caller lets str.encode() raise). */
gk_status GkCountUTF8(int kind, void *data, int64_t n, int64_t *count);

/* ---- lz-string (golib/lzstring.go) ---- */
typedef enum gk_lz_op { GK_LZ_COMPRESS = 0, GK_LZ_DECOMPRESS = 1 } gk_lz_op;
/* The order of kernels/lzstring's Format constants (checked in golib). */
typedef enum gk_lz_format { GK_LZ_RAW = 0, GK_LZ_UTF16, GK_LZ_BASE64, GK_LZ_URI, GK_LZ_UINT8, GK_LZ_FORMATS } gk_lz_format;

/* One result handed back to C: malloc'ed data the caller frees. kind is the
 * PEP 393 kind of a str result, already the narrowest that holds maxchar (the
 * largest code point), so C can copy it into a new str as it is; 0 for bytes.
 * status is a gk_status (GK_OK, NO_MEMORY, STOPPED, CORRUPT, TOO_LONG). */
typedef struct gk_lzout {
    void *data;
    int64_t len;
    int kind;
    int status;
    uint32_t maxchar;
} gk_lzout;

void GkLZ(int op, int format, int kind, void *data, int64_t n, int64_t maxLen, gk_lzout *out);
void GkLZStart(int op, int format, int kind, void *data, int64_t n, int64_t maxLen, gk_lzout *out, gk_job *job);
void GkLZBatch(int op, int format, int64_t count, int *kinds, void **datas, int64_t *lens, int64_t maxLen,
               int64_t workers, gk_lzout *outs, gk_job *job);
void GkLZCopy(int64_t count, gk_lzout *outs, void **dsts, int64_t workers);

/* ---- cvm (golib/cvm.go) ---- */
/* kernels/cvm ElemKind values (checked in golib). */
enum { GK_EK_INT8, GK_EK_UINT8, GK_EK_INT16, GK_EK_UINT16, GK_EK_INT32, GK_EK_UINT32, GK_EK_INT64, GK_EK_UINT64,
       GK_EK_FLOAT32, GK_EK_FLOAT64, GK_EK_BOOL };

/* What C knows of one Python object after reading it: a ready key, or a
 * value or a (pointer, length) into the object's memory that Go turns into a
 * key. */
typedef struct gk_item {
    uint64_t w0; /* value, key or pointer */
    uint64_t w1; /* length << 4 | tag */
} gk_item;
enum { GK_TAG_KEY, GK_TAG_INT, GK_TAG_FLOAT, GK_TAG_NONE, GK_TAG_ASCII, GK_TAG_UCS1, GK_TAG_UCS2, GK_TAG_UCS4,
       GK_TAG_BYTES, GK_TAG_HASH };

/* GK_OK with *threshold set, or GK_ERR_EPSILON, GK_ERR_DELTA, GK_ERR_TOO_LARGE. */
gk_status GkCVMThreshold(double epsilon, double delta, uint64_t n, int64_t *threshold);
uintptr_t GkCVMNew(int64_t threshold, uint64_t seed, int seeded);
void GkCVMFree(uintptr_t h);
uint64_t GkCVMSeed(uintptr_t h);
/* GK_OK or GK_ERR_NO_MEMORY. */
gk_status GkCVMAddArray(uintptr_t h, int kind, void *data, int64_t nbytes);
double GkCVMEstimate(uintptr_t h, int64_t *length, int64_t *k);
/* GK_OK, GK_ERR_NO_MEMORY or GK_ERR_MISMATCH. */
gk_status GkCVMMerge(uintptr_t h, uintptr_t o);
/* GK_OK or GK_ERR_NO_MEMORY. */
gk_status GkCVMAddItems(uintptr_t h, void *items, uint64_t *keys, int64_t n);
uint64_t GkCVMKeyTuple(uint64_t seed, void *items, int64_t n);
uint64_t GkCVMKeyBigInt(uint64_t seed, int neg, void *mag, int64_t n);
int64_t GkCVMEncodedSize(uintptr_t h);
void GkCVMEncode(uintptr_t h, double epsilon, double delta, void *out);
/* GK_OK, GK_ERR_NO_MEMORY, or one of GK_ERR_TRUNCATED .. GK_ERR_CONTENT. */
gk_status GkCVMDecode(void *data, int64_t n, uintptr_t *out, double *epsilon, double *delta, int64_t *threshold);

/* ---- Arrow columns (golib/arrow.go) ---- */
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

/* A failed Arrow call reports a gk_status (GK_ERR_UNSUPPORTED, GK_ERR_INVALID
 * or GK_ERR_NO_MEMORY) and a message: C raises the status's exception with it. */

/* Starts counting one array into the CVM counter `counter` (a cgo.Handle):
 * checks the schema and the array and returns a scan handle, with *rows the
 * number of rows to pass per GkArrowScanRun call (so C can check signals
 * between calls). On failure returns 0, with *status the error and *err a
 * malloc'ed message for the caller to free. */
uintptr_t GkArrowScanNew(uintptr_t counter, struct ArrowSchema *schema, struct ArrowArray *array, int64_t *rows,
                         gk_status *status, char **err);
/* Adds rows [lo, hi) on all cores (no Python; the GIL may be released).
 * Returns GK_OK or an error with *err set as above. */
gk_status GkArrowScanRun(uintptr_t scan, struct ArrowSchema *schema, struct ArrowArray *array, int64_t lo,
                         int64_t hi, char **err);
/* Adds what is left (a dictionary's used values), merges the per-core
 * counters into the counter and frees the scan. Returns as GkArrowScanRun. */
gk_status GkArrowScanFinish(uintptr_t scan, struct ArrowSchema *schema, struct ArrowArray *array, char **err);
/* Frees a scan without adding to the counter what it has not added yet. */
void GkArrowScanFree(uintptr_t scan);

/* ---- the binding: every export above, once ----
 * X(name) for each; the loader dlsym()s them all at load, into gk_go. */
#define GK_EXPORTS(X)                                                                                            \
    X(GkShortLong) X(GkRandomString) X(GkRandomStringStart)                                                      \
    X(GkCountUnits) X(GkCountParallel) X(GkCountUTF8)                                                            \
    X(GkLZ) X(GkLZStart) X(GkLZBatch) X(GkLZCopy)                                                                \
    X(GkCVMThreshold) X(GkCVMNew) X(GkCVMFree) X(GkCVMSeed) X(GkCVMAddArray) X(GkCVMEstimate)        \
    X(GkCVMMerge) X(GkCVMAddItems) X(GkCVMKeyTuple) X(GkCVMKeyBigInt) X(GkCVMEncodedSize) X(GkCVMEncode)         \
    X(GkCVMDecode)                                                                                               \
    X(GkArrowScanNew) X(GkArrowScanRun) X(GkArrowScanFinish) X(GkArrowScanFree)

#endif /* GK_API_H */
