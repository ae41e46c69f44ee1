/* Loads the Go library (libgokernels-go.so, beside this module) on first use.
 *
 * Why lazily: loading a Go c-shared library starts the Go runtime and its
 * threads. A process that forks after that gives the child a runtime whose
 * threads are gone; a child that then allocates Go memory or collects garbage
 * hangs forever. Importing gokernels therefore starts no Go thread, and a
 * child forked after the runtime started gets a RuntimeError instead of a
 * hang (pthread_atfork marks it).
 *
 * Why the checks before loading: the Go runtime aborts the whole process when
 * it cannot reserve its address space, create its threads, or parse
 * GOMEMLIMIT. Those conditions are tested here first (the preflight), so the
 * first call raises MemoryError, RuntimeError or ImportError instead, and
 * every later call tries again (and raises again while the cause remains).
 *
 * Binding: the load dlsym()s every export of golib/gkapi.h's GK_EXPORTS into
 * gk_go (typed from the header's prototypes), so a library missing one fails
 * the first call with ImportError, whichever function it was.
 *
 * Threads: the one-time load runs under a mutex with the GIL released;
 * gk_go is written before gk_lib and gk_ready are published (release), so
 * gk_load_go is safe to call from several threads at once with or without a
 * GIL. After the first call GK_LOAD costs one predictable branch.
 *
 * dlclose() is never called: a Go runtime cannot be unloaded.
 */
#include "gokernels.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define GK_GO_LIBRARY "libgokernels-go.so"

int gk_ready = 0;
gk_go_api gk_go;
static void *gk_lib = NULL;
static volatile int gk_forked = 0;
static pthread_mutex_t gk_load_lock = PTHREAD_MUTEX_INITIALIZER;

#define MiB ((size_t)1 << 20)

/* fork() waits for a load in progress (the lock), so a child never inherits
 * a half-done dlopen or a lock held by a thread it does not have. A child
 * forked after the runtime loaded is marked; one forked before loads its own. */
static void gk_atfork_prepare(void)
{
    pthread_mutex_lock(&gk_load_lock);
}

static void gk_atfork_parent(void)
{
    pthread_mutex_unlock(&gk_load_lock);
}

static void gk_atfork_child(void)
{
    if (gk_lib != NULL) {
        __atomic_store_n(&gk_ready, 0, __ATOMIC_RELAXED);
        gk_forked = 1;
    }
    pthread_mutex_unlock(&gk_load_lock);
}

int gk_loader_init(void)
{
    static int done = 0;
    if (done)
        return 0;
    if (pthread_atfork(gk_atfork_prepare, gk_atfork_parent, gk_atfork_child) != 0) {
        PyErr_SetString(PyExc_ImportError, "gokernels: pthread_atfork failed");
        return -1;
    }
    done = 1;
    return 0;
}

/* An error found without the GIL, raised once it is held again. */
typedef struct {
    PyObject **type; /* &PyExc_MemoryError, ...; NULL: no error */
    char msg[640];
} gk_failure;

#define FAIL(f, exc, ...)                                                  \
    do {                                                                   \
        (f)->type = &(exc);                                                \
        snprintf((f)->msg, sizeof((f)->msg), __VA_ARGS__);                 \
    } while (0)

/* ---- what the Go runtime needs to start (measured; README "Limits") ----
 *
 * Address space: about 1.2 GiB of its own reservations (page summaries,
 * arena index, scavenger index, first heap arena), plus, per thread it
 * starts, a thread stack and (when the thread calls malloc) a 64 MiB glibc
 * arena, plus one more arena's alignment slack while glibc maps it. Below
 * that Go aborts: "failed to reserve page summary memory", "out of memory",
 * or "pthread_create failed", depending on which mapping is refused first.
 * Data (RLIMIT_DATA): the thread stacks plus about 48 MiB of heap. */
#define GO_OWN_RESERVATION (1240 * MiB)
#define GLIBC_ARENA (64 * MiB)
#define GO_OWN_DATA (64 * MiB)
/* Refused outright: Go would try to start about GOMAXPROCS/4 threads at once
 * (1,007 for 4,000) and allocate per-P state for every one. */
#define GK_MAX_GOMAXPROCS 4096

/* The environment as the Go runtime will read it. Go (c-shared) takes argc
 * and argv from the library constructor and reads the environment from the
 * pointer array after argv: the one the process started with, which
 * setenv() updates in place for variables that already existed but not for
 * new ones (glibc then moves environ elsewhere). Our own constructor gets
 * the same argv, so the checks below read exactly what Go will. */
static int gk_argc = -1;
static char **gk_argv = NULL;

__attribute__((constructor)) static void gk_capture_argv(int argc, char **argv)
{
    gk_argc = argc;
    gk_argv = argv;
}

static const char *go_getenv(const char *name)
{
    if (gk_argv == NULL || gk_argc < 0)
        return getenv(name);
    size_t n = strlen(name);
    for (char **e = gk_argv + gk_argc + 1; *e != NULL; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

/* Go's strconv.ParseInt(s[:n], 10, 64): an optional sign, then decimal
 * digits only, within int64. */
static int go_parse_int64(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n)
        return 0;
    uint64_t v = 0, cap = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (cap - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

/* GOMEMLIMIT exactly as Go's runtime (parseByteCount) accepts it: "" or
 * "off", or a non-negative decimal int64 with an optional suffix B, KiB,
 * MiB, GiB or TiB. Anything else makes Go abort at start. */
static int go_memlimit_ok(const char *s)
{
    size_t n = strlen(s);
    int64_t v;
    if (n == 0 || strcmp(s, "off") == 0)
        return 1;
    char last = s[n - 1];
    if (last >= '0' && last <= '9')
        return go_parse_int64(s, n, &v) && v >= 0;
    if (last != 'B' || n < 2)
        return 0;
    char c = s[n - 2];
    if (c >= '0' && c <= '9')
        return go_parse_int64(s, n - 1, &v) && v >= 0;
    if (c != 'i' || n < 4)
        return 0;
    int power;
    switch (s[n - 3]) {
    case 'K': power = 1; break;
    case 'M': power = 2; break;
    case 'G': power = 3; break;
    case 'T': power = 4; break;
    default: return 0;
    }
    if (!go_parse_int64(s, n - 3, &v) || v < 0)
        return 0;
    return (uint64_t)v <= ((((uint64_t)1 << 63) - 1) >> (10 * power));
}

/* The GOMAXPROCS the runtime will start with: a valid GOMAXPROCS (Go ignores
 * an invalid one), else the CPUs this thread may run on. */
static long go_procs(void)
{
    const char *s = go_getenv("GOMAXPROCS");
    int64_t v;
    if (s != NULL && go_parse_int64(s, strlen(s), &v) && v > 0 && v <= INT32_MAX)
        return (long)v;
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

/* The threads the runtime starts besides the caller's, measured on Go 1.26:
 * usually 4 with GOMAXPROCS=1, 5 with 2 (sometimes one more: it depends on
 * timing), 6 with 8, 7 with 64; about GOMAXPROCS/4 beyond that (255 with
 * 1,000). With a margin of two. */
static long go_start_threads(long procs)
{
    return procs <= 8 ? (procs < 4 ? procs : 4) + 5 : procs / 4 + 16;
}

/* The stack size glibc gives a new thread (and so the runtime/cgo threads). */
static size_t thread_stack_size(void)
{
    pthread_attr_t attr;
    size_t size = 8 * MiB;
    if (pthread_attr_init(&attr) == 0) {
        if (pthread_attr_getstacksize(&attr, &size) != 0)
            size = 8 * MiB;
        pthread_attr_destroy(&attr);
    }
    return size + (size_t)sysconf(_SC_PAGESIZE); /* and its guard page */
}

static void gk_needs(long *procs, long *threads, size_t *as, size_t *data)
{
    *procs = go_procs();
    *threads = go_start_threads(*procs);
    size_t stack = thread_stack_size();
    *as = GO_OWN_RESERVATION + (size_t)*threads * (stack + GLIBC_ARENA) + GLIBC_ARENA;
    *data = GO_OWN_DATA + (size_t)*threads * stack;
}

/* A limit's soft value as text: in MiB for memory, else as a count. */
static const char *limit_text(int resource, char *buf, size_t size)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return "unlimited";
    if (resource == RLIMIT_NPROC)
        snprintf(buf, size, "%llu", (unsigned long long)rl.rlim_cur);
    else
        snprintf(buf, size, "%llu MiB", (unsigned long long)(rl.rlim_cur / MiB));
    return buf;
}

/* Can `size` more bytes be mapped with `prot`? (PROT_NONE counts against
 * RLIMIT_AS only; a private writable mapping against RLIMIT_DATA too.) No
 * page is touched. */
static int can_map(size_t size, int prot)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    munmap(p, size);
    return 1;
}

/* ---- the thread probe: start `want` threads at once, then stop them ---- */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int release;
} probe_gate;

static void *probe_thread(void *arg)
{
    probe_gate *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->release)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* This process's thread count, or -1 where /proc is missing. */
static long count_threads(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long n = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Threads:", 8) == 0) {
            n = strtol(line + 8, NULL, 10);
            break;
        }
    fclose(f);
    return n;
}

/* Returns how many of `want` threads could run at once (want on success),
 * with the errno of the first failure in *err. */
static long probe_threads(long want, int *err)
{
    pthread_t *tids = calloc((size_t)want, sizeof(pthread_t));
    probe_gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    pthread_attr_t attr;
    long started = 0, before = count_threads();
    *err = 0;
    if (tids == NULL) {
        *err = ENOMEM;
        return 0;
    }
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024); /* the address space was checked apart */
    for (; started < want; started++) {
        int rc = pthread_create(&tids[started], &attr, probe_thread, &g);
        if (rc != 0) {
            *err = rc;
            break;
        }
    }
    pthread_attr_destroy(&attr);
    pthread_mutex_lock(&g.mu);
    g.release = 1;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    for (long i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    /* A joined thread still counts against RLIMIT_NPROC until the kernel
     * has reaped it, just after pthread_join returns: wait for that (at
     * most about 0.2 s), or Go's first pthread_create could fail. */
    if (before > 0)
        for (int i = 0; i < 2000 && count_threads() > before; i++)
            usleep(100);
    return started;
}

/* Everything the Go runtime would abort on at start. Returns 0, or -1 with *f filled. */
static int gk_preflight(gk_failure *f)
{
    char lim[48];
    const char *memlimit = go_getenv("GOMEMLIMIT");
    if (memlimit != NULL && !go_memlimit_ok(memlimit)) {
        FAIL(f, PyExc_ImportError,
             "gokernels: the environment variable GOMEMLIMIT=%.100s is malformed for Go, whose runtime would "
             "abort the process: use a byte count with an optional unit B, KiB, MiB, GiB or TiB (e.g. "
             "GOMEMLIMIT=1GiB), or off; see `go doc runtime/debug.SetMemoryLimit`. Fix or unset it in the "
             "environment Python starts with (Go reads that one, not later additions to os.environ)",
             memlimit);
        return -1;
    }
    long procs, threads;
    size_t as, data;
    gk_needs(&procs, &threads, &as, &data);
    if (procs > GK_MAX_GOMAXPROCS) {
        FAIL(f, PyExc_ImportError,
             "gokernels: GOMAXPROCS=%ld is above the %d it supports: the Go runtime would start about %ld "
             "threads at once. Lower or unset GOMAXPROCS in the environment Python starts with",
             procs, GK_MAX_GOMAXPROCS, threads);
        return -1;
    }
    if (!can_map(as, PROT_NONE)) {
        FAIL(f, PyExc_MemoryError,
             "gokernels: the Go runtime needs about %zu MiB of free virtual address space to start "
             "(GOMAXPROCS=%ld), and the address-space limit (RLIMIT_AS, ulimit -v: %s) leaves less; "
             "raise the limit",
             as / MiB, procs, limit_text(RLIMIT_AS, lim, sizeof lim));
        return -1;
    }
    if (!can_map(data, PROT_READ | PROT_WRITE)) {
        FAIL(f, PyExc_MemoryError,
             "gokernels: the Go runtime needs about %zu MiB of data memory to start (GOMAXPROCS=%ld), and "
             "the data limit (RLIMIT_DATA, ulimit -d: %s) or the commit limit leaves less; raise the limit",
             data / MiB, procs, limit_text(RLIMIT_DATA, lim, sizeof lim));
        return -1;
    }
    int err;
    long got = probe_threads(threads, &err);
    if (got < threads) {
        FAIL(f, PyExc_RuntimeError,
             "gokernels: the Go runtime starts %ld threads (GOMAXPROCS=%ld), and only %ld more could be "
             "created (%s): the per-user process/thread limit (RLIMIT_NPROC, ulimit -u: %s), a cgroup pids "
             "limit or kernel.threads-max is reached. Raise the limit, or lower GOMAXPROCS",
             threads, procs, got, strerror(err), limit_text(RLIMIT_NPROC, lim, sizeof lim));
        return -1;
    }
    return 0;
}

/* The Go library lives in the directory of this extension module. */
static int gk_library_path(char *buf, size_t size, gk_failure *f)
{
    Dl_info info;
    if (!dladdr((void *)&gk_library_path, &info) || info.dli_fname == NULL) {
        FAIL(f, PyExc_ImportError, "gokernels: cannot find the directory of gokernels._native");
        return -1;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    size_t dir = slash ? (size_t)(slash - info.dli_fname) + 1 : 0;
    if (dir + sizeof(GK_GO_LIBRARY) > size) {
        FAIL(f, PyExc_ImportError, "gokernels: library path too long");
        return -1;
    }
    memcpy(buf, info.dli_fname, dir);
    memcpy(buf + dir, GK_GO_LIBRARY, sizeof(GK_GO_LIBRARY));
    return 0;
}

/* ---- SIGURG: Go's preemption signal, and a handler installed before Go ----
 *
 * Go installs its SIGURG handler while the library loads (libpreinit) and
 * never forwards SIGURG to the handler it replaced, so a Python SIGURG
 * handler installed before the first call would never run again. When there
 * is such a handler, a small chain goes in front of Go's: signals sent with
 * kill() (si_code SI_USER, from this or another process) or sigqueue(), or
 * sent by another process, go to the previous handler; every signal then
 * goes to Go's handler, which ignores what is not a preemption request. Go's
 * own preemption signals come from tgkill() in this process, so they never
 * reach the previous handler. A signal raised inside this process with
 * raise() or pthread_kill() looks the same as Go's and goes to Go only. */
static struct sigaction gk_urg_user, gk_urg_go;

static void gk_sigurg_chain(int sig, siginfo_t *info, void *ctx)
{
    int saved = errno;
    if (info == NULL || info->si_code == SI_USER || info->si_code == SI_QUEUE || info->si_pid != getpid()) {
        if (gk_urg_user.sa_flags & SA_SIGINFO)
            gk_urg_user.sa_sigaction(sig, info, ctx);
        else if (gk_urg_user.sa_handler != SIG_DFL && gk_urg_user.sa_handler != SIG_IGN)
            gk_urg_user.sa_handler(sig);
    }
    errno = saved;
    if (gk_urg_go.sa_flags & SA_SIGINFO)
        gk_urg_go.sa_sigaction(sig, info, ctx);
    else if (gk_urg_go.sa_handler != SIG_DFL && gk_urg_go.sa_handler != SIG_IGN)
        gk_urg_go.sa_handler(sig);
}

/* Before dlopen: is there a SIGURG handler of the process's own? */
static int gk_sigurg_save(void)
{
    if (sigaction(SIGURG, NULL, &gk_urg_user) != 0)
        return 0;
    if (gk_urg_user.sa_flags & SA_SIGINFO)
        return gk_urg_user.sa_sigaction != NULL;
    return gk_urg_user.sa_handler != SIG_DFL && gk_urg_user.sa_handler != SIG_IGN;
}

/* After dlopen: put the chain in front of the handler Go installed. */
static void gk_sigurg_chain_install(void)
{
    struct sigaction sa;
    if (sigaction(SIGURG, NULL, &gk_urg_go) != 0)
        return;
    if ((gk_urg_go.sa_flags & SA_SIGINFO) ? gk_urg_go.sa_sigaction == gk_urg_user.sa_sigaction
                                          : gk_urg_go.sa_handler == gk_urg_user.sa_handler)
        return; /* Go left it alone */
    sa = gk_urg_go;
    sa.sa_sigaction = gk_sigurg_chain;
    sa.sa_flags = (gk_urg_go.sa_flags | SA_SIGINFO | SA_ONSTACK) & ~SA_RESETHAND;
    sigaction(SIGURG, &sa, NULL);
}

/* Every export, by name, and where in gk_go it goes. */
static const struct {
    const char *name;
    size_t offset;
} gk_exports[] = {
#define GK_EXPORT_ENTRY(name) {#name, offsetof(gk_go_api, name)},
    GK_EXPORTS(GK_EXPORT_ENTRY)
#undef GK_EXPORT_ENTRY
};

/* dlsym()s every export into gk_go. Returns 0, or -1 with *f filled. */
static int gk_bind_all(void *lib, gk_failure *f)
{
    for (size_t i = 0; i < sizeof gk_exports / sizeof gk_exports[0]; i++) {
        void *fn = dlsym(lib, gk_exports[i].name);
        if (fn == NULL) {
            FAIL(f, PyExc_ImportError, "gokernels: the Go library has no symbol %s (mismatched build; reinstall "
                 "gokernels)", gk_exports[i].name);
            return -1;
        }
        memcpy((char *)&gk_go + gk_exports[i].offset, &fn, sizeof fn);
    }
    return 0;
}

/* The one-time load; called with gk_load_lock held and no GIL. */
static void gk_load_locked(gk_failure *f)
{
    char path[4096];
    if (gk_lib != NULL || gk_library_path(path, sizeof(path), f) < 0 || gk_preflight(f) < 0)
        return;
    int chain_sigurg = gk_sigurg_save();
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib != NULL && chain_sigurg)
        gk_sigurg_chain_install();
    if (lib == NULL) {
        FAIL(f, PyExc_ImportError, "gokernels: cannot load its Go library: %.400s (reinstall gokernels)",
             dlerror());
        return;
    }
    if (gk_bind_all(lib, f) < 0)
        return;
    __atomic_store_n(&gk_lib, lib, __ATOMIC_RELEASE);
}

static int gk_load(void)
{
    gk_failure f = {NULL, ""};
    /* The load takes milliseconds (and the thread probe may wait): let other
     * threads run, and never wait for the lock while holding the GIL. */
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&gk_load_lock);
    gk_load_locked(&f);
    pthread_mutex_unlock(&gk_load_lock);
    Py_END_ALLOW_THREADS
    if (f.type != NULL) {
        PyErr_SetString(*f.type, f.msg);
        return -1;
    }
    return 0;
}

int gk_load_go(void)
{
    if (gk_forked) {
        PyErr_SetString(PyExc_RuntimeError,
            "gokernels cannot run in a process forked after it was first used: "
            "the Go runtime does not survive fork(). Use multiprocessing's "
            "'spawn' or 'forkserver' start method "
            "(multiprocessing.set_start_method('spawn')), or make the first "
            "gokernels call in the child.");
        return -1;
    }
    if (__atomic_load_n(&gk_lib, __ATOMIC_ACQUIRE) == NULL && gk_load() < 0)
        return -1;
    __atomic_store_n(&gk_ready, 1, __ATOMIC_RELEASE);
    return 0;
}

PyObject *gk_go_loaded(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyBool_FromLong(__atomic_load_n(&gk_lib, __ATOMIC_ACQUIRE) != NULL && !gk_forked);
}

PyObject *gk_runtime_needs(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    long procs, threads;
    size_t as, data;
    gk_needs(&procs, &threads, &as, &data);
    return Py_BuildValue("{s:n,s:n,s:l,s:l}", "address_space", (Py_ssize_t)as, "data", (Py_ssize_t)data,
                         "threads", threads, "gomaxprocs", procs);
}
