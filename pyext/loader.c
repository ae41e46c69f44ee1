/* Loads the Go library (libgokernels-go.so, beside this module) on first use.
 *
 * Why lazily: loading a Go c-shared library starts the Go runtime and its
 * threads. A process that forks after that gives the child a runtime whose
 * threads are gone; a child that then allocates Go memory or collects garbage
 * hangs forever. Importing gokernels therefore starts no Go thread, and a
 * child forked after the runtime started gets a RuntimeError instead of a
 * hang (pthread_atfork marks it).
 *
 * dlclose() is never called: a Go runtime cannot be unloaded.
 */
#include "gokernels.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#define GK_GO_LIBRARY "libgokernels-go.so"

int gk_ready = 0;
static void *gk_lib = NULL;
static volatile int gk_forked = 0;

static void gk_atfork_child(void)
{
    gk_ready = 0;
    gk_forked = 1;
}

/* The Go library lives in the directory of this extension module. */
static int gk_library_path(char *buf, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)&gk_library_path, &info) || info.dli_fname == NULL) {
        PyErr_SetString(PyExc_ImportError,
                        "gokernels: cannot find the directory of gokernels._native");
        return -1;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    size_t dir = slash ? (size_t)(slash - info.dli_fname) + 1 : 0;
    if (dir + sizeof(GK_GO_LIBRARY) > size) {
        PyErr_SetString(PyExc_ImportError, "gokernels: library path too long");
        return -1;
    }
    memcpy(buf, info.dli_fname, dir);
    memcpy(buf + dir, GK_GO_LIBRARY, sizeof(GK_GO_LIBRARY));
    return 0;
}

static int gk_load(void)
{
    char path[4096];
    if (gk_library_path(path, sizeof(path)) < 0)
        return -1;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        PyErr_Format(PyExc_ImportError,
                     "gokernels: cannot load its Go library: %s "
                     "(reinstall gokernels)", dlerror());
        return -1;
    }
    if (pthread_atfork(NULL, NULL, gk_atfork_child) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "gokernels: pthread_atfork failed");
        return -1;
    }
    gk_lib = lib;
    return 0;
}

int gk_bind(void **slot, const char *name)
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
    /* Called with the GIL held (the module declares it needs the GIL), so
     * the first load happens once. */
    if (gk_lib == NULL && gk_load() < 0)
        return -1;
    gk_ready = 1;
    if (*slot == NULL) {
        void *fn = dlsym(gk_lib, name);
        if (fn == NULL) {
            PyErr_Format(PyExc_ImportError,
                         "gokernels: the Go library has no symbol %s "
                         "(mismatched build; reinstall gokernels)", name);
            return -1;
        }
        *slot = fn;
    }
    return 0;
}

PyObject *gk_go_loaded(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return PyBool_FromLong(gk_lib != NULL && !gk_forked);
}
