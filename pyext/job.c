/* Long calls that answer Ctrl-C (issue 11).
 *
 * A long kernel runs on a goroutine (the Go export returns at once) while
 * the calling thread waits for it here with the GIL released, waking every
 * GK_JOB_TICK_MS to take the GIL and run Python's signal handlers. Only the
 * main thread runs them; elsewhere PyErr_CheckSignals returns at once. When
 * a handler raises (KeyboardInterrupt), the job's stop flag is set, the Go
 * kernel sees it within a few thousand units of work, frees what it
 * allocated and finishes, and the call raises once Go is done: no Go work
 * outlives the call, and no pointer into its arguments is kept.
 *
 * Only the main thread's long calls run as jobs (gk_job_choose): elsewhere
 * there are no handlers to run, and a job costs other threads their turn.
 * The waiting thread keeps the Go scheduler slot (P) it entered Go with
 * while it sits in C, until Go's monitor takes it back, 20 us to 10 ms
 * later; a second thread's call waits for a P meanwhile, so two threads'
 * jobs partly ran one after the other (issue 13, make bench-threads on 2
 * cores: 2 threads of compress_to_base64 1.14-1.55x faster than one thread
 * as jobs, 1.78-2.32x run directly).
 */
#include "gokernels.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

/* How often a waiting call runs signal handlers: well under the 200 ms a
 * Ctrl-C may take, and rare enough to cost nothing. */
#define GK_JOB_TICK_MS 20

#if defined(__linux__)
#define GK_JOB_CLOCK CLOCK_MONOTONIC
#else
#define GK_JOB_CLOCK CLOCK_REALTIME
#endif

/* The Go runtime aborts the process when it cannot map memory for its heap
 * (an arena is 64 MiB of address space). Under an address-space limit
 * (RLIMIT_AS, `ulimit -v`) that is nearly used up, a long call would start
 * Go work that may need a new arena at any moment; it raises MemoryError
 * instead unless twice that is still free. One mmap/munmap pair: nothing
 * next to a call that takes milliseconds. */
#define GK_JOB_HEADROOM ((size_t)128 << 20)

static int gk_go_headroom(void)
{
    void *h = mmap(NULL, GK_JOB_HEADROOM, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (h == MAP_FAILED) {
        PyErr_SetString(PyExc_MemoryError,
                        "gokernels: less than 128 MiB of address space is left for the Go runtime "
                        "(RLIMIT_AS / ulimit -v)");
        return -1;
    }
    munmap(h, GK_JOB_HEADROOM);
    return 0;
}

/* Whether this is the process's first thread, the one Python runs signal
 * handlers on (the thread that started the interpreter, in every program
 * but an embedder's that starts it on another thread, where long calls then
 * run without a job). No Python call, no state to cache. */
static int gk_main_thread(void)
{
#if defined(__linux__)
    return (pid_t)syscall(SYS_gettid) == getpid();
#elif defined(__APPLE__)
    return pthread_main_np();
#else
    return 1;
#endif
}

int gk_job_choose(int long_call)
{
    if (!long_call)
        return 0;
    /* Subinterpreters run no signal handlers. */
    if (gk_main_thread() && PyInterpreterState_Get() == PyInterpreterState_Main())
        return 1;
    return gk_go_headroom() < 0 ? -1 : 0;
}

int gk_job_init(gk_job *job)
{
    if (gk_go_headroom() < 0)
        return -1;
    memset(job, 0, sizeof *job);
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        goto fail;
#if defined(__linux__)
    pthread_condattr_setclock(&attr, GK_JOB_CLOCK);
#endif
    if (pthread_cond_init(&job->cond, &attr) != 0) {
        pthread_condattr_destroy(&attr);
        goto fail;
    }
    pthread_condattr_destroy(&attr);
    if (pthread_mutex_init(&job->mu, NULL) != 0) {
        pthread_cond_destroy(&job->cond);
        goto fail;
    }
    return 0;
fail:
    PyErr_SetString(PyExc_RuntimeError, "gokernels: cannot initialize a condition variable");
    return -1;
}

/* Waits, without the GIL, until the job is done or (unless forever) one tick
 * has passed. Returns 1 if it is done. */
static int gk_job_wait_tick(gk_job *job, int forever)
{
    int done;
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&job->mu);
    if (forever) {
        while (!job->done)
            pthread_cond_wait(&job->cond, &job->mu);
    } else {
        struct timespec t;
        clock_gettime(GK_JOB_CLOCK, &t);
        t.tv_nsec += (long)GK_JOB_TICK_MS * 1000000L;
        if (t.tv_nsec >= 1000000000L) {
            t.tv_sec++;
            t.tv_nsec -= 1000000000L;
        }
        while (!job->done && pthread_cond_timedwait(&job->cond, &job->mu, &t) != ETIMEDOUT)
            ;
    }
    done = job->done;
    pthread_mutex_unlock(&job->mu);
    Py_END_ALLOW_THREADS
    return done;
}

int gk_job_wait(gk_job *job)
{
    int failed = 0;
    while (!gk_job_wait_tick(job, 0)) {
        if (PyErr_CheckSignals() < 0) {
            __atomic_store_n(&job->stop, 1, __ATOMIC_RELAXED);
            gk_job_wait_tick(job, 1);
            failed = 1;
            break;
        }
    }
    pthread_cond_destroy(&job->cond);
    pthread_mutex_destroy(&job->mu);
    return failed ? -1 : 0;
}
