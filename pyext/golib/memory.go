package main

/*
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
static void gk_trim(void) { malloc_trim(0); }
#else
static void gk_trim(void) {}
#endif

#include <sys/mman.h>

// Called from Go so that a failure returns NULL: cgo's own C.malloc aborts
// the process instead. Under an address-space limit (RLIMIT_AS) a big buffer
// can leave the Go runtime no room for its own next mapping (a heap arena is
// 64 MiB), and Go aborts when that fails; so a big buffer is kept only while
// twice that much address space is still free, else it counts as no memory.
static void *gk_try_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    const size_t headroom = (size_t)128 << 20;
    if (p != NULL && n >= headroom / 2) {
        void *h = mmap(NULL, headroom, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (h == MAP_FAILED) {
            free(p);
            return NULL;
        }
        munmap(h, headroom);
    }
    return p;
}
*/
import "C"

import (
	"runtime/debug"
	"sync/atomic"
	"time"
	"unsafe"
)

// Memory after big calls (issue 11): Go keeps freed heap memory mapped until
// its scavenger returns it, minutes later, and glibc keeps freed chunks
// below its mmap threshold. A call whose buffers passed releaseAfter bytes
// therefore asks for the memory back soon after, on a background goroutine
// so that the call itself returns first: a forced GC (cheap here: kernels
// keep little live Go memory) that returns every free page, then
// malloc_trim for the C buffers results were built from. It waits
// releaseDelay first, for C to free those buffers, and so that a burst of
// big calls shares one release. Scratch buffers above maxScratch are not
// kept between calls.
const (
	releaseAfter = 8 << 20
	releaseDelay = 100 * time.Millisecond
	maxScratch   = 4 << 20
)

var releaseRequests atomic.Int64

// afterCall is called by an export once a call that used `used` bytes of
// buffers has dropped them.
func afterCall(used int) {
	if used < releaseAfter {
		return
	}
	if releaseRequests.Add(1) != 1 {
		return // a release is under way; it will run again for this one
	}
	go func() {
		time.Sleep(releaseDelay)
		for {
			n := releaseRequests.Load()
			debug.FreeOSMemory()
			C.gk_trim()
			if releaseRequests.CompareAndSwap(n, 0) {
				return
			}
		}
	}()
}

// cmalloc returns n bytes of C memory, or nil when malloc fails.
func cmalloc(n int) unsafe.Pointer { return C.gk_try_malloc(C.size_t(n)) }

func cfree(p unsafe.Pointer) { C.free(p) }
