/* count_approx and CVMCounter: approximate distinct counting with the CVM
 * algorithm with hashed coins (Go: kernels/cvm, exports in golib/cvm.go).
 *
 * C reads each Python item once and describes it in a 16-byte item: a value
 * (int, float bits, hash), or a pointer and length into the object (the
 * characters of a str, the bytes of a bytes), or a key computed already
 * (tuples, big ints). CHUNK items at a time go to Go in one call, which turns
 * them into content keys (kernels/cvm/key.go) and adds them. Go never calls
 * back into Python, and reads object memory only during the call.
 *
 * Object memory that Go reads must stay alive until the chunk is flushed,
 * although the item's hash() can run Python code that empties the list and
 * another thread can run while Go works with the GIL released: the pending
 * data of up to COPY_MAX bytes is copied into p->arena, and the objects of
 * longer data are held in p->refs (an iterator's items keep the reference it
 * gave; a list's or tuple's are increfed).
 *
 * Numeric arrays (buffer protocol, one dimension) skip Python objects: Go
 * reads the elements, with the GIL released, on all cores, about 10 ms per
 * call so that Ctrl-C is seen between calls.
 */
#include "gokernels.h"
#include "arrow.h"

#include <limits.h>
#include <math.h>
#include <time.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CHUNK 4096
#define COPY_MAX 64 /* str and bytes data up to this size is copied, not referenced */
#define PREFETCH 24                        /* items ahead: hides the latency of object headers */
#define CACHE_MIN_ITEMS 65536  /* lists and tuples from this length use the object cache */
#define CACHE_MAX_BITS 18      /* at most 2**18 slots: 1 MiB */
#define CACHE_WAYS_LOG2 3      /* slots per set of the cache: 8 */
#define CACHE_WAYS (1 << CACHE_WAYS_LOG2)
#define CACHE_AHEAD 32         /* items ahead: the look at the cache set, and its prefetch */
#define CACHE_AHEAD_OBJ 12     /* items ahead: the lookup, and the object prefetch if it misses */
#define ARRAY_MIN_BYTES ((Py_ssize_t)2 << 20)  /* per Go call, adapted to take about 10 ms */
#define ARRAY_MAX_BYTES ((Py_ssize_t)64 << 20)
#define MAX_TUPLE_DEPTH 64

/* kernels/cvm ElemKind values, the item tags and gk_item: golib/gkapi.h's. */
enum { EK_INT8 = GK_EK_INT8, EK_UINT8 = GK_EK_UINT8, EK_INT16 = GK_EK_INT16, EK_UINT16 = GK_EK_UINT16,
       EK_INT32 = GK_EK_INT32, EK_UINT32 = GK_EK_UINT32, EK_INT64 = GK_EK_INT64, EK_UINT64 = GK_EK_UINT64,
       EK_FLOAT32 = GK_EK_FLOAT32, EK_FLOAT64 = GK_EK_FLOAT64, EK_BOOL = GK_EK_BOOL };
enum { T_KEY = GK_TAG_KEY, T_INT = GK_TAG_INT, T_FLOAT = GK_TAG_FLOAT, T_NONE = GK_TAG_NONE, T_ASCII = GK_TAG_ASCII,
       T_UCS1 = GK_TAG_UCS1, T_UCS2 = GK_TAG_UCS2, T_UCS4 = GK_TAG_UCS4, T_BYTES = GK_TAG_BYTES,
       T_HASH = GK_TAG_HASH };

/* The Go exports this file calls (golib/gkapi.h, bound by the loader). */
#define go_threshold gk_go.GkCVMThreshold
#define go_new gk_go.GkCVMNew
#define go_free gk_go.GkCVMFree
#define go_seed gk_go.GkCVMSeed
#define go_add_items gk_go.GkCVMAddItems
#define go_add_array(h, kind, data, nbytes) gk_go.GkCVMAddArray(h, kind, (void *)(data), nbytes)
#define go_estimate gk_go.GkCVMEstimate
#define go_merge gk_go.GkCVMMerge
#define go_key_tuple gk_go.GkCVMKeyTuple
#define go_key_bigint(seed, neg, mag, n) gk_go.GkCVMKeyBigInt(seed, neg, (void *)(mag), n)
#define go_encoded_size gk_go.GkCVMEncodedSize
#define go_encode gk_go.GkCVMEncode
#define go_decode gk_go.GkCVMDecode

static int bind_all(void)
{
    GK_LOAD_OR(return -1);
    return 0;
}

/* Items waiting to go to Go: a chunk filled by C, emptied by one Go call. */
typedef struct {
    uintptr_t h;
    uint64_t seed;
    gk_item *items;    /* CHUNK */
    uint64_t *keys;    /* CHUNK, scratch for Go */
    PyObject **refs;   /* CHUNK: references held until the flush */
    char *arena;       /* CHUNK * COPY_MAX: copies of short str and bytes data */
    size_t used;
    Py_ssize_t n, nrefs;
    int local;         /* some item was keyed by hash(): valid in this process only */
    char local_type[64];      /* the first such item's type name, for messages */
    /* The object cache of one list or tuple (seq_feed_cached), NULL outside it. */
    uint32_t *cache;   /* slots: tags of objects already added, each with a reference; 0 if empty */
    uint64_t cache_base; /* the address that tags count from */
    /* Bumped wherever Python code may run or the thread may block (a
     * flush releases the GIL; bigint_item calls Python's C API, whose
     * allocations can run the garbage collector): the object cache's
     * lookups of list items are valid only within one epoch. */
    uint64_t epoch;
    void *cache_mem;   /* the allocation that holds cache */
    int cache_shift;   /* 32 - log2(sets of CACHE_WAYS slots) */
} pending;

static int pending_init(pending *p, uintptr_t h)
{
    memset(p, 0, sizeof *p);
    p->h = h;
    p->seed = go_seed(h);
    p->items = PyMem_Malloc(CHUNK * sizeof(gk_item));
    p->keys = PyMem_Malloc(CHUNK * sizeof(uint64_t));
    p->refs = PyMem_Malloc(CHUNK * sizeof(PyObject *));
    p->arena = PyMem_Malloc(CHUNK * COPY_MAX);
    if (p->items == NULL || p->keys == NULL || p->refs == NULL || p->arena == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void cache_close(pending *p);

static void pending_free(pending *p)
{
    cache_close(p);
    for (Py_ssize_t i = 0; i < p->nrefs; i++)
        Py_DECREF(p->refs[i]);
    p->nrefs = 0;
    PyMem_Free(p->items);
    PyMem_Free(p->keys);
    PyMem_Free(p->refs);
    PyMem_Free(p->arena);
    p->arena = NULL;
    p->items = NULL;
    p->keys = NULL;
    p->refs = NULL;
}

/* ---- The object cache ----
 *
 * Lists often hold the same object many times (the article's workload holds
 * each of 100,000 str objects 100 times). Reading an object costs two cache
 * misses (pymalloc's blocks straddle two lines), its key an xxh3 hash. But a
 * counter's state depends only on the set of keys added, so an object added
 * once need not be read again: for a long list or tuple, C keeps a
 * direct-mapped set of the addresses of the objects it has added (to the
 * chunk that Go will add), and an item found there is skipped from its
 * address alone, without touching the object. The state is the same, bit
 * for bit.
 *
 * Every cached object is an exact str, bytes, int or float (immutable: its
 * key cannot change; its deallocation runs no Python code) and the cache
 * holds a reference to it: while that reference lives no other object can
 * have its address, so an address found in the cache is that object,
 * whatever Python code (an item's __hash__) or another thread (while Go runs
 * with the GIL released) did to the list meanwhile. The cache lives for one
 * list or tuple; its references are dropped before feed returns. */

/* A slot holds a tag, not a pointer: ((o - base) >> 3) + 1 for an object o
 * that is 8-byte aligned and lies within 16 GiB above base (base is set from
 * the first item, 8 GiB below it), and 0 when empty. Two live objects cannot
 * share a tag: objects are at least 16 bytes long and do not overlap. With
 * 4-byte slots the whole cache (2**18 slots, 1 MiB) can stay in L2, where
 * 8-byte slots left the hot lookup in L3; and the object is base + ((tag -
 * 1) << 3), so the cache still holds (and gives back) its reference. Objects
 * outside that window (malloc'd ones far from pymalloc's arenas) are never
 * cached: slower, never wrong.
 *
 * The cache is 8-way set associative: an object may be in any slot of the
 * set its address hashes to (32 bytes, half a cache line: one miss, two SSE2
 * compares). Where the objects lie one after another, as in a list built at
 * once, Fibonacci hashing spreads consecutive addresses over distinct sets,
 * but objects scattered over freed memory hash like random keys: a
 * direct-mapped cache of 512 Ki slots missed 10-20% of the items for 100,000
 * such objects (hits 0.70-0.89, against 0.99), and each miss read the object
 * and evicted (decremented) another. An exact simulation of those addresses
 * gives 0.889 direct-mapped, 0.950 2-way and 0.965 8-way with 256 Ki slots,
 * where the first sight of each object caps it at 0.967. */
static inline uint32_t *cache_set(const pending *p, const void *o)
{
    /* 32 bits of the address suffice: cached objects lie within 16 GiB */
    return &p->cache[((uint32_t)((uintptr_t)o >> 4) * UINT32_C(0x9e3779b9) >> p->cache_shift) * CACHE_WAYS];
}

/* The tag of an object that cannot be cached: no slot ever holds it (tags
 * are at most 2**31), so a lookup needs no test for it. */
#define CACHE_NO_TAG UINT32_MAX

/* o's tag, or CACHE_NO_TAG. */
static inline uint32_t cache_tag(const pending *p, const void *o)
{
    /* base is 8-byte aligned: one test for "aligned and in the window"
     * (64-bit arithmetic, so that 32-bit builds shift nothing past their
     * width: there the window is the whole address space) */
    const uint64_t d = (uint64_t)(uintptr_t)o - p->cache_base;
    return (d & ~((UINT64_C(1) << 34) - 8)) == 0 ? (uint32_t)(d >> 3) + 1 : CACHE_NO_TAG;
}

static inline PyObject *cache_object(const pending *p, uint32_t tag)
{
    return (PyObject *)(uintptr_t)(p->cache_base + ((uint64_t)(tag - 1) << 3));
}

/* Whether tag (not 0: CACHE_NO_TAG never is) is in set s. All slots are compared at once: which way
 * holds a hit is unpredictable. */
static inline int cache_has(const uint32_t *s, uint32_t tag)
{
#if defined(__SSE2__)
    const __m128i t = _mm_set1_epi32((int)tag);
    const __m128i lo = _mm_cmpeq_epi32(_mm_load_si128((const __m128i *)s), t);
    const __m128i hi = _mm_cmpeq_epi32(_mm_load_si128((const __m128i *)(s + 4)), t);
    return _mm_movemask_epi8(_mm_or_si128(lo, hi)) != 0;
#else
    int found = 0;
    for (int w = 0; w < CACHE_WAYS; w++)
        found |= s[w] == tag;
    return found;
#endif
}

/* Zeroed memory for the cache's slots, aligned to a cache line (a set must
 * not straddle two; malloc aligns to 16 bytes only). p->cache_mem is what
 * cache_close frees. At most 1 MiB, 256 pages: the TLB holds them, where the
 * 4 MiB of the 8-byte slots wanted huge pages. */
static uint32_t *cache_alloc(pending *p, size_t slots)
{
    p->cache_mem = PyMem_Calloc(slots + 16, sizeof(uint32_t));
    if (p->cache_mem == NULL)
        return NULL;
    return (uint32_t *)(((uintptr_t)p->cache_mem + 63) & ~(uintptr_t)63);
}

/* Starts a cache for a sequence of n items whose first item is first; without
 * memory, there is none. */
static void cache_open(pending *p, Py_ssize_t n, PyObject *first)
{
    int bits = 16; /* log2 of the slots */
    while (bits < CACHE_MAX_BITS && ((Py_ssize_t)1 << bits) < n / 8)
        bits++;
    p->cache = cache_alloc(p, (size_t)1 << bits);
    p->cache_shift = 32 - (bits - CACHE_WAYS_LOG2);
    const uint64_t f = (uint64_t)(uintptr_t)first & ~UINT64_C(7);
    p->cache_base = f > (UINT64_C(1) << 33) ? f - (UINT64_C(1) << 33) : 0;
}

/* Drops the cache and every reference it holds. */
static void cache_close(pending *p)
{
    if (p->cache == NULL)
        return;
    const size_t slots = (size_t)CACHE_WAYS << (32 - p->cache_shift);
    for (size_t i = 0; i < slots; i++) {
        if (i + 64 < slots && p->cache[i + 64] != 0)
            __builtin_prefetch(cache_object(p, p->cache[i + 64])); /* its refcount */
        if (p->cache[i] != 0)
            Py_DECREF(cache_object(p, p->cache[i]));
    }
    PyMem_Free(p->cache_mem);
    p->cache = NULL;
    p->cache_mem = NULL;
}

/* Raises the exception of a failed counter call (GkCVMAddItems,
 * GkCVMAddArray, GkCVMMerge): the buffer's own MemoryError message, or
 * gk_raise_status's for any other status. Returns -1. */
static int raise_counter_status(gk_status st)
{
    if (st == GK_ERR_NO_MEMORY)
        PyErr_SetString(PyExc_MemoryError, "CVM counter: out of memory for the buffer");
    else
        gk_raise_status(st, "CVMCounter");
    return -1;
}

/* Hands the pending items to Go with the GIL released: the objects whose
 * memory Go reads are held in p->refs. Returns 0, or -1 with MemoryError. */
static int flush(pending *p)
{
    if (p->n == 0)
        return 0;
    gk_status rc;
    p->epoch++;
    Py_BEGIN_ALLOW_THREADS rc = go_add_items(p->h, p->items, p->keys, p->n);
    Py_END_ALLOW_THREADS p->n = 0;
    p->used = 0;
    for (Py_ssize_t i = 0; i < p->nrefs; i++)
        Py_DECREF(p->refs[i]);
    p->nrefs = 0;
    return rc == GK_OK ? 0 : raise_counter_status(rc);
}

static int item_of(pending *p, PyObject *o, gk_item *it, int depth);

/* The key of a tuple: the keys of its elements, combined in Go. The tuple is
 * held across the elements' hash() calls, which can run Python code. */
static int tuple_item(pending *p, PyObject *o, gk_item *it, int depth)
{
    if (depth >= MAX_TUPLE_DEPTH) {
        PyErr_SetString(PyExc_RecursionError, "CVM counter: tuples nested too deeply");
        return -1;
    }
    Py_INCREF(o);
    Py_ssize_t n = PyTuple_GET_SIZE(o);
    gk_item small[16], *elems = small;
    if (n > 16 && (elems = PyMem_Malloc(n * sizeof(gk_item))) == NULL) {
        Py_DECREF(o);
        PyErr_NoMemory();
        return -1;
    }
    int r = 0; /* item_of's 1 (points into the element) is fine: we hold the tuple */
    for (Py_ssize_t i = 0; i < n && r >= 0; i++)
        r = item_of(p, PyTuple_GET_ITEM(o, i), &elems[i], depth + 1);
    if (r >= 0) {
        r = 0;
        it->w0 = go_key_tuple(p->seed, elems, n);
        it->w1 = T_KEY;
    }
    if (elems != small)
        PyMem_Free(elems);
    Py_DECREF(o);
    return r;
}

/* An int outside int64: the key of the equal float if there is one (so that
 * 2**70 == 2.0**70), else of its magnitude bytes and sign. Only exact-int
 * C methods are called, never a subclass's Python code. */
static int bigint_item(pending *p, PyObject *o, gk_item *it)
{
    p->epoch++;
    double d = PyLong_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
    } else {
        PyObject *f = PyFloat_FromDouble(d);
        if (f == NULL)
            return -1;
        PyObject *eq = PyFloat_Type.tp_richcompare(f, o, Py_EQ); /* exact int/float comparison */
        Py_DECREF(f);
        if (eq == NULL)
            return -1;
        int same = eq == Py_True;
        Py_DECREF(eq);
        if (same) {
            memcpy(&it->w0, &d, sizeof d);
            it->w1 = T_FLOAT;
            return 0;
        }
    }
    PyObject *zero = PyLong_FromLong(0);
    if (zero == NULL)
        return -1;
    PyObject *lt = PyLong_Type.tp_richcompare(o, zero, Py_LT);
    Py_DECREF(zero);
    if (lt == NULL)
        return -1;
    int neg = lt == Py_True;
    Py_DECREF(lt);
    PyObject *a = PyLong_Type.tp_as_number->nb_absolute(o); /* an exact int */
    if (a == NULL)
        return -1;
    PyObject *bits = PyObject_CallMethod(a, "bit_length", NULL);
    Py_ssize_t nbits = bits ? PyLong_AsSsize_t(bits) : -1;
    Py_XDECREF(bits);
    PyObject *b = nbits < 0 ? NULL : PyObject_CallMethod(a, "to_bytes", "ns", (nbits + 7) / 8, "little");
    Py_DECREF(a);
    if (b == NULL)
        return -1;
    it->w0 = go_key_bigint(p->seed, neg, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b));
    it->w1 = T_KEY;
    Py_DECREF(b);
    return 0;
}

/* Describes o in *it. Returns 1 if *it points into o's memory, 0 if not, -1
 * with an exception (hash() failed). Subclasses of str, bytes, int, float and
 * tuple are keyed by their value, as the equal builtin would be, unless they
 * define their own __hash__ (and so, presumably, their own equality). */
static int item_of(pending *p, PyObject *o, gk_item *it, int depth)
{
    PyTypeObject *t = Py_TYPE(o);
    if (t == &PyUnicode_Type || (PyUnicode_Check(o) && t->tp_hash == PyUnicode_Type.tp_hash)) {
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(o) < 0)
            return -1;
#endif
        Py_ssize_t n = PyUnicode_GET_LENGTH(o);
        int tag;
        switch (PyUnicode_KIND(o)) {
        case PyUnicode_1BYTE_KIND:
            tag = PyUnicode_IS_ASCII(o) ? T_ASCII : T_UCS1;
            break;
        case PyUnicode_2BYTE_KIND:
            tag = T_UCS2;
            break;
        default:
            tag = T_UCS4;
        }
        it->w0 = (uint64_t)(uintptr_t)PyUnicode_DATA(o);
        it->w1 = (uint64_t)n << 4 | tag;
        return 1;
    }
    if (t == &PyLong_Type || (PyLong_Check(o) && t->tp_hash == PyLong_Type.tp_hash)) {
        long long v;
        if (!gk_small_int(o, &v)) {
            int overflow;
            v = PyLong_AsLongLongAndOverflow(o, &overflow);
            if (v == -1 && PyErr_Occurred())
                return -1;
            if (overflow)
                return bigint_item(p, o, it);
        }
        it->w0 = (uint64_t)v;
        it->w1 = T_INT;
        return 0;
    }
    if (t == &PyFloat_Type || (PyFloat_Check(o) && t->tp_hash == PyFloat_Type.tp_hash)) {
        double f = PyFloat_AS_DOUBLE(o);
        memcpy(&it->w0, &f, sizeof f);
        it->w1 = T_FLOAT;
        return 0;
    }
    if (o == Py_None) {
        it->w0 = 0;
        it->w1 = T_NONE;
        return 0;
    }
    if (PyBytes_Check(o) && t->tp_hash == PyBytes_Type.tp_hash) {
        it->w0 = (uint64_t)(uintptr_t)PyBytes_AS_STRING(o);
        it->w1 = (uint64_t)PyBytes_GET_SIZE(o) << 4 | T_BYTES;
        return 1;
    }
    if (PyTuple_Check(o) && t->tp_hash == PyTuple_Type.tp_hash)
        return tuple_item(p, o, it, depth);
    /* Anything else (and subclasses with a __hash__ of their own): its
     * hash(), valid in this process only. */
    /* hash() can run Python code that drops the caller's reference (a
     * __hash__ that empties the list being read): hold o across it. */
    Py_INCREF(o);
    Py_hash_t h = PyObject_Hash(o);
    if (h != -1 && !p->local) {
        p->local = 1;
        PyOS_snprintf(p->local_type, sizeof p->local_type, "%s", Py_TYPE(o)->tp_name);
    }
    Py_DECREF(o);
    if (h == -1)
        return -1;
    it->w0 = (uint64_t)h;
    it->w1 = T_HASH;
    return 0;
}

/* Adds o. owned: the caller gives its reference to o (an iterator's item).
 * Returns 0, or -1 with an exception. */
static inline int push(pending *p, PyObject *o, int owned)
{
    /* The common case inline: a short compact ASCII str. */
    if (Py_TYPE(o) == &PyUnicode_Type && PyUnicode_IS_COMPACT_ASCII(o) &&
        ((PyASCIIObject *)o)->length <= COPY_MAX) {
        size_t len = (size_t)((PyASCIIObject *)o)->length;
        char *dst = p->arena + p->used;
        memcpy(dst, (const char *)((PyASCIIObject *)o + 1), len);
        p->used += len;
        p->items[p->n].w0 = (uint64_t)(uintptr_t)dst;
        p->items[p->n].w1 = (uint64_t)len << 4 | T_ASCII;
        if (owned)
            Py_DECREF(o);
        goto added;
    }
    gk_item it; /* item_of may flush p: fill the slot after it */
    int r = item_of(p, o, &it, 0);
    if (r < 0) {
        if (owned)
            Py_DECREF(o);
        return -1;
    }
    if (r == 1) {
        /* Short data is copied next to the other pending items: Go then
         * reads it sequentially, and the object need not be held. */
        int tag = (int)(it.w1 & 15);
        size_t len = (size_t)(it.w1 >> 4) * (tag == T_UCS2 ? 2 : tag == T_UCS4 ? 4 : 1);
        if (len <= COPY_MAX) {
            memcpy(p->arena + p->used, (const void *)(uintptr_t)it.w0, len);
            it.w0 = (uint64_t)(uintptr_t)(p->arena + p->used);
            p->used += len;
            if (owned)
                Py_DECREF(o);
        } else {
            if (!owned)
                Py_INCREF(o);
            p->refs[p->nrefs++] = o;
        }
    } else if (owned) {
        Py_DECREF(o);
    }
    p->items[p->n] = it;
added:
    if (++p->n == CHUNK) {
        if (flush(p) < 0)
            return -1;
        /* Between chunks, so Ctrl-C interrupts a long count within a chunk. */
        if (PyErr_CheckSignals() < 0)
            return -1;
    }
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Adds a numeric array in Go calls of about 10 ms each (from 1 MiB, the
 * step grows while calls are quick and halves when one is slow: the cost
 * per element varies 50-fold between a full table and a filtered stream),
 * with the GIL released for large ones; Go spreads each call over all
 * cores. Signals are checked between calls. Returns 0, or -1 with
 * KeyboardInterrupt (or another signal handler's exception) or MemoryError. */
static int feed_array(pending *p, int kind, const char *data, Py_ssize_t len, Py_ssize_t itemsize)
{
    Py_ssize_t step = ARRAY_MIN_BYTES;
    for (Py_ssize_t off = 0; off < len;) {
        Py_ssize_t n = len - off < step ? len - off : step;
        n -= n % itemsize;
        gk_status rc;
        double t = now();
        GK_MAYBE_NOGIL(n >= GK_NOGIL_BYTES, rc = go_add_array(p->h, kind, data + off, n));
        t = now() - t;
        if (rc != GK_OK)
            return raise_counter_status(rc);
        off += n;
        if (off < len && PyErr_CheckSignals() < 0)
            return -1;
        if (t < 0.005 && step < ARRAY_MAX_BYTES) {
            /* Aim the next call at 10 ms at this call's rate, up to 8x: each
             * call splits, counts and merges anew, so fewer calls cost less
             * (10M int64: 4 calls instead of 7). */
            double grow = t > 0.01 / 8 ? 0.01 / t : 8;
            step = grow * (double)step >= (double)ARRAY_MAX_BYTES ? ARRAY_MAX_BYTES : (Py_ssize_t)(grow * (double)step);
        } else if (t > 0.02 && step > ARRAY_MIN_BYTES) {
            step /= 2;
        }
    }
    return 0;
}

/* An item's cache lookup, made CACHE_AHEAD items before the item is added
 * (its set is prefetched then) and checked CACHE_AHEAD_OBJ items before. */
typedef struct {
    PyObject *o;
    uint32_t *set;
    uint32_t tag;
    uint64_t seen; /* the generation it was made in; + 1 once found cached */
} cache_look;

#define CACHE_RING 64 /* > CACHE_AHEAD, a power of 2 */

static inline void cache_look_at(const pending *p, cache_look *l, PyObject *o, uint64_t gen)
{
    l->o = o;
    l->set = cache_set(p, o);
    l->tag = cache_tag(p, o);
    l->seen = gen;
}

/* Adds the items of a list or tuple through the object cache (p->cache
 * open), from the first, while the cache pays: it is checked at 64 Ki, 128
 * Ki... items, then every window of as many items as it has slots, and the
 * items found in it must be 1/8, 2/8, 3/8, then 4/8 of them. (Caching an
 * object that is not seen again costs a reference and the eviction of
 * another: 10 M distinct objects took twice as long.) Returns the index of
 * the first item not added, or -1 with an exception.
 *
 * An item found in the cache is the hot path, and each instruction counts
 * (the loop is bound by them once the cache sits in L2). Each item's set and
 * tag are computed once, CACHE_AHEAD items ahead; CACHE_AHEAD_OBJ items
 * ahead it is looked up, and an item found then is found for good (it was
 * added before), unless something could have changed the list since its
 * look was made. Whatever can run Python code or let another thread in (a
 * flush to Go, hash() of other objects, signal handlers) starts a new
 * generation: the array and size are read again, and looks made before are
 * checked against the item they were made for. */
static Py_ssize_t seq_feed_cached(pending *p, PyObject *items)
{
    Py_ssize_t window_start = 0, added = 0, check = 1 << 16, step = 0;
    const Py_ssize_t slots = (Py_ssize_t)CACHE_WAYS << (32 - p->cache_shift);
    cache_look ring[CACHE_RING] = {{0}}; /* seen 0 and o NULL: matches nothing */
    uint64_t gen = 2; /* even; a look's seen is gen + 1 once found */
    PyObject **a = PySequence_Fast_ITEMS(items);
    Py_ssize_t size = PySequence_Fast_GET_SIZE(items);
    for (Py_ssize_t k = 0; k < CACHE_AHEAD && k < size; k++)
        cache_look_at(p, &ring[k], a[k], gen);
    Py_ssize_t i = 0, signals = CHUNK;
    while (i < size) {
        if (i == check) {
            if (step < 4)
                step++;
            if ((i - window_start - added) * 8 < (i - window_start) * step)
                return i; /* not worth it for this data */
            if (check >= slots) {
                window_start = i;
                added = 0;
            }
            check += check < slots ? check : slots;
        }
        if (i == signals) {
            /* Cached items may not fill a chunk for long: Ctrl-C is seen
             * here too. */
            signals += CHUNK;
            if (PyErr_CheckSignals() < 0)
                return -1;
            gen += 2;
            a = PySequence_Fast_ITEMS(items);
            size = PySequence_Fast_GET_SIZE(items);
            continue;
        }
        Py_ssize_t end = check < signals ? check : signals;
        end = end < size ? end : size;
        const Py_ssize_t ahead_end = size - CACHE_AHEAD < end ? size - CACHE_AHEAD : end;
        /* The items up to the next event; the last CACHE_AHEAD items of the
         * list have nothing to look ahead at. */
        for (; i < end; i++) {
            if (i < ahead_end) {
                cache_look *l = &ring[(i + CACHE_AHEAD) & (CACHE_RING - 1)];
                cache_look_at(p, l, a[i + CACHE_AHEAD], gen);
                __builtin_prefetch(l->set);
                l = &ring[(i + CACHE_AHEAD_OBJ) & (CACHE_RING - 1)];
                if (l->seen == gen && cache_has(l->set, l->tag)) {
                    l->seen = gen + 1;
                } else {
                    /* it will miss: its two lines are fetched now (a stale
                     * look fetches in vain, never faults) */
                    __builtin_prefetch((const char *)l->o);
                    __builtin_prefetch((const char *)l->o + 40);
                }
            }
            cache_look *l = &ring[i & (CACHE_RING - 1)];
            if (l->seen == gen + 1)
                continue; /* added already: its key would change nothing */
            PyObject *o = a[i];
            if (l->o != o)
                cache_look_at(p, l, o, gen);
            if (cache_has(l->set, l->tag))
                continue;
            added++;
            PyTypeObject *t = Py_TYPE(o);
            if (l->tag != CACHE_NO_TAG
                && (t == &PyUnicode_Type || t == &PyBytes_Type || t == &PyLong_Type || t == &PyFloat_Type)) {
                /* Added now (to the chunk), so cached now. The reference
                 * is taken first: push can flush, and another thread can
                 * change the list while Go runs. The evicted object's
                 * release runs no Python code; a generation starts only
                 * if the push started an epoch (see pending.epoch). */
                const uint64_t epoch = p->epoch;
                Py_INCREF(o);
                if (push(p, o, 0) < 0) {
                    Py_DECREF(o);
                    return -1;
                }
                /* The newest object goes first and the set's oldest out
                 * (LRU by insertion: reordering on a hit would cost a
                 * write per hit). */
                uint32_t *set = l->set;
                const uint32_t old = set[CACHE_WAYS - 1];
                for (int w = CACHE_WAYS - 1; w > 0; w--)
                    set[w] = set[w - 1];
                set[0] = l->tag;
                if (old != 0)
                    Py_DECREF(cache_object(p, old));
#ifndef Py_GIL_DISABLED
                /* (Free-threaded, that release may queue the object for
                 * its owner thread, under a lock that can block.) */
                if (p->epoch == epoch)
                    continue;
#else
                (void)epoch;
#endif
            } else if (push(p, o, 0) < 0) {
                return -1;
            }
            gen += 2;
            a = PySequence_Fast_ITEMS(items);
            size = PySequence_Fast_GET_SIZE(items);
            i++;
            break; /* the bounds again */
        }
    }
    return i;
}

/* Adds the items of a list or tuple, read in place. Returns 0, or -1 with
 * the exception raised by hash() (items before it stay added). */
static int feed_seq(pending *p, PyObject *items)
{
    Py_ssize_t start = 0;
    if (PySequence_Fast_GET_SIZE(items) >= CACHE_MIN_ITEMS) {
        cache_open(p, PySequence_Fast_GET_SIZE(items), PySequence_Fast_GET_ITEM(items, 0));
        if (p->cache != NULL) {
            start = seq_feed_cached(p, items);
            cache_close(p);
            if (start < 0)
                return -1;
        }
    }
    /* Walk the item array in place. A __hash__ may change a list, so its
     * size and array are read again at every step. */
    for (Py_ssize_t i = start; i < PySequence_Fast_GET_SIZE(items); i++) {
        PyObject **a = PySequence_Fast_ITEMS(items);
        if (i + PREFETCH < PySequence_Fast_GET_SIZE(items)) {
            /* The header and, for a str, its length, flags and first
             * characters: pymalloc's 64-byte blocks start 48 bytes into
             * a cache line, so these are usually two lines. */
            const char *next = (const char *)a[i + PREFETCH];
            __builtin_prefetch(next);
            __builtin_prefetch(next + 40);
        }
        if (push(p, a[i], 0) < 0)
            return -1;
    }
    return 0;
}

/* pandas before 3.0: a Series or Index has no Arrow PyCapsule methods (nor,
 * in any version, do its extension arrays), but its extension arrays (ArrowDtype, string, nullable Int64...) export through
 * pyarrow's __arrow_array__ protocol, with their missing values as Arrow
 * nulls, which the column path skips as it does for pandas 3 (whose Series
 * export __arrow_c_stream__). Returns that Arrow array, or NULL without an
 * exception when there is none (numpy-backed data, no pyarrow): the values
 * are then counted as Python objects. */
static PyObject *pandas_arrow(PyObject *items)
{
    PyObject *module = PyObject_GetAttrString((PyObject *)Py_TYPE(items), "__module__");
    if (module == NULL) {
        PyErr_Clear();
        return NULL;
    }
    const char *name = PyUnicode_Check(module) ? PyUnicode_AsUTF8(module) : NULL;
    int is_pandas = name != NULL && strncmp(name, "pandas", 6) == 0 && (name[6] == '.' || name[6] == '\0');
    PyErr_Clear(); /* a __module__ that is not UTF-8 is not pandas */
    Py_DECREF(module);
    if (!is_pandas)
        return NULL;
    PyObject *array = NULL; /* the extension array itself, or a Series's */
    if (PyObject_HasAttrString(items, "__arrow_array__")) {
        array = Py_NewRef(items);
    } else if ((array = PyObject_GetAttrString(items, "array")) == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *exported = PyObject_HasAttrString(array, "__arrow_array__")
                             ? PyObject_CallMethod(array, "__arrow_array__", NULL)
                             : NULL;
    Py_DECREF(array);
    if (exported == NULL && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_MemoryError) || !PyErr_ExceptionMatches(PyExc_Exception))
            return NULL; /* raised as it is */
        PyErr_Clear(); /* no pyarrow, or data pyarrow cannot take: the objects */
    }
    return exported;
}

/* Adds every item of items, in order. Returns 0, or -1 with the exception
 * raised by hash() or by the iteration (items before it stay added).
 *
 * Inputs are recognised here, in this order: lists and tuples (read in
 * place), then columnar inputs (numeric buffers; other column formats go
 * next to them), then any iterable. */
static int feed(pending *p, PyObject *items)
{
    if (PyList_CheckExact(items) || PyTuple_CheckExact(items)) {
        int r;
#ifdef Py_GIL_DISABLED
        /* Without a GIL another thread could change the list (and free the
         * item just read) under the walk. The critical section is suspended
         * while Go runs or Python code runs (a __hash__), and feed_seq reads
         * the size and array again after anything that could (as for a
         * __hash__ that changes the list: seq_feed_cached's generations);
         * what is pending is copied or referenced. */
        Py_BEGIN_CRITICAL_SECTION(items);
#endif
        r = feed_seq(p, items);
#ifdef Py_GIL_DISABLED
        Py_END_CRITICAL_SECTION();
#endif
        return r;
    }
    int arrow = gk_arrow_add(p->h, items); /* Arrow data: arrow.c */
    if (arrow == 0) {
        PyObject *exported = pandas_arrow(items);
        if (exported == NULL && PyErr_Occurred())
            return -1;
        if (exported != NULL) {
            arrow = gk_arrow_add(p->h, exported);
            Py_DECREF(exported);
        }
    }
    if (arrow != 0)
        return arrow < 0 ? -1 : 0;
    if (PyObject_CheckBuffer(items)) {
        Py_buffer view;
        if (PyObject_GetBuffer(items, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) == 0) {
            int kind = elem_kind(&view);
            if (kind >= 0) {
                int r = flush(p);
                if (r == 0)
                    r = feed_array(p, kind, view.buf, view.len, view.itemsize);
                PyBuffer_Release(&view);
                return r;
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
        if (push(p, o, 1) < 0) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* Parses epsilon and delta (NULL: the defaults) and the stream length into a
 * threshold. Returns it, or -1 with a ValueError/TypeError naming the argument. */
static int64_t threshold_for(const char *fname, PyObject *eps_o, PyObject *delta_o, uint64_t n, double *eps_out,
                             double *delta_out)
{
    double eps = 0.5, delta = 0.001;
    if ((eps_o != NULL && gk_parse_float(fname, "epsilon", eps_o, &eps) < 0) ||
        (delta_o != NULL && gk_parse_float(fname, "delta", delta_o, &delta) < 0))
        return -1;
    int64_t t = -1;
    switch (go_threshold(eps, delta, n, &t)) {
    case GK_OK:
        break;
    case GK_ERR_EPSILON:
        gk_value_error(fname, "epsilon", "between 0 and 1 (exclusive)", eps_o);
        return -1;
    case GK_ERR_DELTA:
        gk_value_error(fname, "delta", "between 0 and 1 (exclusive)", delta_o);
        return -1;
    default: /* GK_ERR_TOO_LARGE */
        PyErr_Format(PyExc_ValueError, "%s(): epsilon=%R is too small: the buffer would not fit in memory",
                     fname, eps_o);
        return -1;
    }
    *eps_out = eps;
    *delta_out = delta;
    return t;
}

static PyObject *estimate_of(uintptr_t h)
{
    int64_t len, k;
    double e = go_estimate(h, &len, &k);
    return PyLong_FromDouble(e); /* len * 2**k: always an integer */
}

static const gk_sig count_approx_sig = GK_SIG("count_approx", 3, 1, "items", "epsilon", "delta", "seed");

static PyObject *count_approx(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *a[4];
    (void)module;
    if (gk_parse(&count_approx_sig, args, nargs, kwnames, a) < 0)
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
    double eps, delta;
    int64_t t = threshold_for("count_approx", a[1], a[2], n, &eps, &delta);
    if (t < 0)
        return NULL;
    uint64_t seed;
    int seeded;
    if (gk_parse_seed("count_approx", a[3], &seed, &seeded) < 0)
        return NULL;
    uintptr_t h = go_new(t, seed, seeded);
    pending p;
    PyObject *result = NULL;
    if (pending_init(&p, h) == 0 && feed(&p, a[0]) == 0 && flush(&p) == 0)
        result = estimate_of(h);
    pending_free(&p);
    go_free(h);
    return result;
}

/* ---- CVMCounter ---- */

/* A per-object lock serialises the methods; a thread that waits for it
 * releases the GIL (PyMutex does; the fallback waits with the GIL
 * released). owner detects re-entry from an item's __hash__ or __eq__ on
 * the same thread, which would otherwise deadlock. */
typedef struct {
    PyObject_HEAD
    uintptr_t handle;
    double epsilon, delta;
    int64_t threshold;
    pending p;
#if PY_VERSION_HEX >= 0x030D0000
    PyMutex mutex;
#else
    PyThread_type_lock lock;
#endif
    unsigned long owner; /* thread ident holding the lock, 0 if none */
} CVMCounter;

static PyTypeObject CVMCounterType;

static int enter(CVMCounter *self, const char *method)
{
    unsigned long me = PyThread_get_thread_ident();
    if (self->owner == me) {
        PyErr_Format(PyExc_RuntimeError,
                     "CVMCounter.%s(): the counter is already in use in this thread (an item's __hash__ "
                     "or __eq__, or an iterator, called the counter it is being added to)",
                     method);
        return -1;
    }
#if PY_VERSION_HEX >= 0x030D0000
    PyMutex_Lock(&self->mutex);
#else
    if (!PyThread_acquire_lock(self->lock, NOWAIT_LOCK)) {
        Py_BEGIN_ALLOW_THREADS PyThread_acquire_lock(self->lock, WAIT_LOCK);
        Py_END_ALLOW_THREADS
    }
#endif
    self->owner = me;
    if (!gk_ready && bind_all() < 0) {
        self->owner = 0;
#if PY_VERSION_HEX >= 0x030D0000
        PyMutex_Unlock(&self->mutex);
#else
        PyThread_release_lock(self->lock);
#endif
        return -1;
    }
    return 0;
}

static void leave(CVMCounter *self)
{
    self->owner = 0;
#if PY_VERSION_HEX >= 0x030D0000
    PyMutex_Unlock(&self->mutex);
#else
    PyThread_release_lock(self->lock);
#endif
}

/* A new counter object around handle h (taken over), or NULL. */
static CVMCounter *wrap(PyTypeObject *type, uintptr_t h, double eps, double delta, int64_t threshold)
{
    CVMCounter *self = (CVMCounter *)type->tp_alloc(type, 0);
    if (self == NULL) {
        go_free(h);
        return NULL;
    }
    self->handle = h;
    self->epsilon = eps;
    self->delta = delta;
    self->threshold = threshold;
#if PY_VERSION_HEX < 0x030D0000
    if ((self->lock = PyThread_allocate_lock()) == NULL) {
        Py_DECREF(self);
        PyErr_NoMemory();
        return NULL;
    }
#endif
    if (pending_init(&self->p, h) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

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
        static const gk_int_rule rule = {"stream_length", "an int or None", ">= 0", 0, LLONG_MAX,
                                         GK_ABOVE_OVERFLOW, "below 2**63"};
        long long len;
        if (gk_parse_int("CVMCounter", &rule, len_o, &len) < 0)
            return NULL;
        n = len > 0 ? (uint64_t)len : 1;
    }
    double eps, delta;
    int64_t t = threshold_for("CVMCounter", eps_o, delta_o, n, &eps, &delta);
    if (t < 0)
        return NULL;
    uint64_t seed;
    int seeded;
    if (gk_parse_seed("CVMCounter", seed_o, &seed, &seeded) < 0)
        return NULL;
    return (PyObject *)wrap(type, go_new(t, seed, seeded), eps, delta, t);
}

static void counter_dealloc(CVMCounter *self)
{
    /* In a child forked after Go started, calling Go would hang: leak instead. */
    if (self->handle && gk_ready)
        go_free(self->handle);
    pending_free(&self->p);
#if PY_VERSION_HEX < 0x030D0000
    if (self->lock)
        PyThread_free_lock(self->lock);
#endif
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *counter_add(CVMCounter *self, PyObject *x)
{
    if (enter(self, "add") < 0)
        return NULL;
    Py_INCREF(x);
    int r = push(&self->p, x, 1);
    leave(self);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *counter_update(CVMCounter *self, PyObject *items)
{
    if (!PyObject_CheckBuffer(items) && !PySequence_Check(items) && Py_TYPE(items)->tp_iter == NULL &&
        !gk_arrow_exports(items))
        return gk_type_error("CVMCounter.update", "items", "an iterable", items);
    if (enter(self, "update") < 0)
        return NULL;
    int r = feed(&self->p, items);
    leave(self);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *counter_estimate(CVMCounter *self, PyObject *unused)
{
    (void)unused;
    if (enter(self, "estimate") < 0)
        return NULL;
    PyObject *r = flush(&self->p) < 0 ? NULL : estimate_of(self->handle);
    leave(self);
    return r;
}

/* Locks a and b in address order (two threads merging a into b and b into a
 * must not deadlock) and flushes both. Returns 0, or -1 with nothing locked. */
static int enter_two(CVMCounter *a, CVMCounter *b, const char *method)
{
    CVMCounter *first = a < b ? a : b, *second = a < b ? b : a;
    if (enter(first, method) < 0)
        return -1;
    if (second != first && enter(second, method) < 0) {
        leave(first);
        return -1;
    }
    if (flush(&a->p) < 0 || (b != a && flush(&b->p) < 0)) {
        if (second != first)
            leave(second);
        leave(first);
        return -1;
    }
    return 0;
}

static void leave_two(CVMCounter *a, CVMCounter *b)
{
    if (a != b)
        leave(b);
    leave(a);
}

/* Merges src into dst, both locked and flushed. Returns 0 or -1. */
static int merge_locked(CVMCounter *dst, CVMCounter *src, const char *fname)
{
    gk_status rc = go_merge(dst->handle, src->handle);
    if (rc == GK_ERR_MISMATCH) {
        PyErr_Format(PyExc_ValueError,
                     "%s: the counters have different parameters (threshold %lld, seed %llu vs threshold %lld, "
                     "seed %llu): only counters made with the same epsilon, delta, stream_length and seed merge",
                     fname, (long long)dst->threshold, (unsigned long long)dst->p.seed,
                     (long long)src->threshold, (unsigned long long)src->p.seed);
        return -1;
    }
    if (rc != GK_OK)
        return raise_counter_status(rc);
    if (src->p.local && !dst->p.local) {
        dst->p.local = 1;
        memcpy(dst->p.local_type, src->p.local_type, sizeof dst->p.local_type);
    }
    return 0;
}

static PyObject *counter_merge(CVMCounter *self, PyObject *other)
{
    if (!PyObject_TypeCheck(other, &CVMCounterType))
        return gk_type_error("CVMCounter.merge", "other", "a CVMCounter", other);
    CVMCounter *o = (CVMCounter *)other;
    if (enter_two(self, o, "merge") < 0)
        return NULL;
    int r = merge_locked(self, o, "CVMCounter.merge()");
    leave_two(self, o);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *counter_or(PyObject *a, PyObject *b)
{
    if (!PyObject_TypeCheck(a, &CVMCounterType) || !PyObject_TypeCheck(b, &CVMCounterType))
        Py_RETURN_NOTIMPLEMENTED;
    CVMCounter *x = (CVMCounter *)a, *y = (CVMCounter *)b;
    if (enter_two(x, y, "__or__") < 0)
        return NULL;
    CVMCounter *r = NULL;
    if (x->threshold != y->threshold || x->p.seed != y->p.seed) {
        merge_locked(x, y, "CVMCounter | CVMCounter"); /* raises the ValueError */
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "CVMCounter | CVMCounter: the counters have different parameters");
    } else {
        r = wrap(&CVMCounterType, go_new(x->threshold, x->p.seed, 1), x->epsilon, x->delta, x->threshold);
        if (r != NULL && (merge_locked(r, x, "CVMCounter | CVMCounter") < 0 ||
                          merge_locked(r, y, "CVMCounter | CVMCounter") < 0))
            Py_CLEAR(r);
    }
    leave_two(x, y);
    return (PyObject *)r;
}

static PyObject *counter_to_bytes(CVMCounter *self, PyObject *unused)
{
    (void)unused;
    if (enter(self, "to_bytes") < 0)
        return NULL;
    PyObject *r = NULL;
    if (flush(&self->p) < 0)
        goto done;
    if (self->p.local) {
        PyErr_Format(PyExc_ValueError,
                     "CVMCounter.to_bytes(): the counter has seen objects of type '%s', which are keyed by "
                     "hash() and so mean nothing in another process; only counters of int, float, bool, str, "
                     "bytes, None and tuples of these can be serialized",
                     self->p.local_type);
        goto done;
    }
    r = PyBytes_FromStringAndSize(NULL, go_encoded_size(self->handle));
    if (r != NULL)
        go_encode(self->handle, self->epsilon, self->delta, PyBytes_AS_STRING(r));
done:
    leave(self);
    return r;
}

static PyObject *counter_from_bytes(PyObject *unused, PyObject *data)
{
    (void)unused;
    if (bind_all() < 0)
        return NULL;
    Py_buffer v;
    if (PyObject_GetBuffer(data, &v, PyBUF_SIMPLE) < 0) {
        PyErr_Clear();
        return gk_type_error("CVMCounter.from_bytes", "data", "a bytes-like object", data);
    }
    uintptr_t h = 0;
    double eps, delta;
    int64_t t;
    gk_status rc = go_decode(v.buf, v.len, &h, &eps, &delta, &t);
    PyBuffer_Release(&v);
    if (rc != GK_OK)
        return gk_raise_status(rc, "CVMCounter.from_bytes");
    return (PyObject *)wrap(&CVMCounterType, h, eps, delta, t);
}

static PyObject *counter_reduce(CVMCounter *self, PyObject *unused)
{
    (void)unused;
    PyObject *b = counter_to_bytes(self, NULL);
    if (b == NULL)
        return NULL;
    PyObject *f = PyObject_GetAttrString((PyObject *)&CVMCounterType, "from_bytes");
    PyObject *r = f ? Py_BuildValue("(O(O))", f, b) : NULL;
    Py_XDECREF(f);
    Py_DECREF(b);
    return r;
}

static PyObject *counter_repr(CVMCounter *self)
{
    if (enter(self, "__repr__") < 0)
        return NULL;
    if (flush(&self->p) < 0) {
        leave(self);
        return NULL;
    }
    int64_t len, k;
    double e = go_estimate(self->handle, &len, &k);
    leave(self);
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

static PyObject *counter_get_seed(CVMCounter *self, void *closure)
{
    (void)closure;
    return PyLong_FromUnsignedLongLong(self->p.seed);
}

static PyObject *counter_get_local(CVMCounter *self, void *closure)
{
    (void)closure;
    return PyBool_FromLong(self->p.local);
}

static PyMethodDef counter_methods[] = {
    {"add", (PyCFunction)counter_add, METH_O,
     "add($self, x, /)\n--\n\nAdd one hashable item. Unhashable items raise TypeError."},
    {"update", (PyCFunction)counter_update, METH_O,
     "update($self, items, /)\n--\n\n"
     "Add every item of an iterable (lists and tuples are read in place;\n"
     "1-D numeric arrays skip Python objects and use every core)."},
    {"estimate", (PyCFunction)counter_estimate, METH_NOARGS,
     "estimate($self, /)\n--\n\n"
     "Return the estimated number of distinct items added so far (exact while\n"
     "that number is below the threshold)."},
    {"merge", (PyCFunction)counter_merge, METH_O,
     "merge($self, other, /)\n--\n\n"
     "Add the items of another counter to this one, in place: the result is\n"
     "the counter of the union, identical to one that saw both streams.\n"
     "Raises ValueError if the counters have different thresholds or seeds."},
    {"to_bytes", (PyCFunction)counter_to_bytes, METH_NOARGS,
     "to_bytes($self, /)\n--\n\n"
     "Return the counter serialized (docs/cvm-format.md): 48 bytes plus 8 per\n"
     "buffered key, equal for equal states. Raises ValueError if the counter\n"
     "has seen objects keyed by hash() (see process_local)."},
    {"from_bytes", (PyCFunction)counter_from_bytes, METH_O | METH_STATIC,
     "from_bytes(data, /)\n--\n\n"
     "Return the counter serialized in data by to_bytes(). Raises ValueError\n"
     "for truncated, corrupt or foreign data."},
    {"__reduce__", (PyCFunction)counter_reduce, METH_NOARGS, "Pickle support: through to_bytes()."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef counter_getset[] = {
    {"threshold", (getter)counter_get_threshold, NULL, "The buffer size: fewer than this many keys are kept.",
     NULL},
    {"epsilon", (getter)counter_get_epsilon, NULL, "The relative error bound.", NULL},
    {"delta", (getter)counter_get_delta, NULL, "The probability of exceeding the error bound.", NULL},
    {"seed", (getter)counter_get_seed, NULL, "The seed of the keys (a fixed default when none was given).",
     NULL},
    {"process_local", (getter)counter_get_local, NULL,
     "True once the counter has seen an object keyed by hash() (not an int, float,\n"
     "bool, str, bytes, None or tuple of these): it can then merge only with\n"
     "counters of this process, and cannot be serialized.",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyNumberMethods counter_as_number = {
    .nb_or = counter_or,
};

static PyTypeObject CVMCounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gokernels.cvm.CVMCounter",
    .tp_basicsize = sizeof(CVMCounter),
    .tp_dealloc = (destructor)counter_dealloc,
    .tp_repr = (reprfunc)counter_repr,
    .tp_as_number = &counter_as_number,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "CVMCounter(epsilon=0.5, delta=0.001, *, stream_length=None, seed=None)\n--\n\n"
              "A mergeable approximate distinct counter (CVM with hashed coins) in\n"
              "memory bounded by its threshold, 12/epsilon**2 * log2(8 * stream_length\n"
              "/ delta) keys (stream_length None: 2**40). The estimate is exact below\n"
              "the threshold, within epsilon of the truth with probability 1-delta,\n"
              "and unbiased. Its state depends only on the seed and the set of items:\n"
              "any order, repetition or split merged with merge() or | gives the same\n"
              "estimate. int, float, bool, str, bytes, None and tuples of these are\n"
              "keyed by content (1 == 1.0 == True; all NaNs are one item), the same in\n"
              "every process; seed=None is a fixed default seed.",
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
     "Return an estimate of the number of distinct items in an iterable, with\n"
     "the CVM algorithm (Chakraborty, Vinodchandran and Meel) with hashed\n"
     "coins, in memory bounded by the buffer size, not the input. With\n"
     "probability at least 1-delta the estimate is within a relative error\n"
     "epsilon, and it is unbiased; it is exact while the distinct count is\n"
     "below the buffer size. Items compare as in a set (1 == 1.0 == True),\n"
     "except that all NaNs count as one value. Lists and tuples are read in\n"
     "place, 1-D numeric arrays (numpy, array.array) without Python objects,\n"
     "on every core. The buffer size uses len(items) (or an iterator's length\n"
     "hint), else 2**40. The answer depends only on the set of items and the\n"
     "seed (seed=None: a fixed default), whatever PYTHONHASHSEED is."},
    {NULL, NULL, 0, NULL},
};
