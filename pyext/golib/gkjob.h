/* A long Go call run on a goroutine while its C caller waits (rel-b, issue 11).
 *
 * Plain C, no Python.h: included both by the cgo preamble of job.go and by
 * ../gokernels.h. The caller (C, ../job.c) owns the struct, starts the Go
 * work, then waits for `done` with the GIL released, waking every few
 * milliseconds to run Python's signal handlers; if one raises (Ctrl-C), it
 * sets `stop`, which the Go kernel polls, and waits for `done` again. Go
 * touches the struct last in gk_job_finish, so the caller may free it once
 * it has seen `done`.
 */
#ifndef GK_JOB_H
#define GK_JOB_H

#include <pthread.h>
#include <stdint.h>

typedef struct gk_job {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    int done;       /* set by Go, under mu, when the work is over */
    int32_t stop;   /* set by C (atomically) to ask the work to stop */
} gk_job;

/* Called by Go as its last use of j. */
static inline void gk_job_finish(gk_job *j)
{
    pthread_mutex_lock(&j->mu);
    j->done = 1;
    pthread_cond_signal(&j->cond);
    pthread_mutex_unlock(&j->mu);
}

#endif
