/* Arrow columns between cvm.c and arrow.c. The Arrow C data interface
 * structs (their ABI, from the Arrow specification) and the Go exports of
 * pyext/golib/arrow.go are in golib/gkapi.h, the C-Go contract.
 */
#ifndef GK_ARROW_H
#define GK_ARROW_H

#include "golib/gkapi.h"

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
