/* gokernels._native: the module definition. Each kernel's functions live in
 * its own file (doubles.c, ...) and are added here. */
#include "gokernels.h"

static PyMethodDef gk_module_methods[] = {
    {"_go_loaded", gk_go_loaded, METH_NOARGS,
     "_go_loaded($module, /)\n--\n\n"
     "Whether the Go runtime has been loaded into this process (it loads on "
     "first use, never at import)."},
    {"_runtime_needs", gk_runtime_needs, METH_NOARGS,
     "_runtime_needs($module, /)\n--\n\n"
     "What the Go runtime needs to start in this process, as checked before it is loaded: "
     "{'address_space': bytes, 'data': bytes, 'threads': n, 'gomaxprocs': n}."},
    {NULL, NULL, 0, NULL},
};

/* The first module object made in this process; see gk_exec. */
static PyObject *gk_first_module = NULL;

/* A later import in the main interpreter (after `del sys.modules[...]`, or
 * importlib.reload) gets the first module's objects, so the exception types
 * and CVMCounter stay the ones every earlier `except` clause names. */
static int gk_exec_again(PyObject *module)
{
    PyObject *src = PyModule_GetDict(gk_first_module), *dst = PyModule_GetDict(module);
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(src, &pos, &key, &value)) {
        if (PyUnicode_Check(key) && PyUnicode_GET_LENGTH(key) >= 2 && PyUnicode_READ_CHAR(key, 0) == '_' &&
            PyUnicode_READ_CHAR(key, 1) == '_')
            continue; /* __name__, __spec__, ...: the new module's own */
        if (PyDict_SetItem(dst, key, value) < 0)
            return -1;
    }
    return 0;
}

static int gk_exec(PyObject *module)
{
    /* One Go runtime and one set of C statics (the exception types, the
     * type objects) per process: a second interpreter's import would
     * re-initialize them under the main interpreter's feet. The slot below
     * refuses isolated sub-interpreters; this refuses the legacy kind too
     * (mod_wsgi's, `_xxsubinterpreters` with the legacy config, 3.10-3.11's
     * Py_NewInterpreter), before anything is touched. */
    if (PyInterpreterState_Get() != PyInterpreterState_Main()) {
        PyErr_SetString(PyExc_ImportError,
                        "gokernels cannot be imported in a sub-interpreter: its Go runtime and C "
                        "state exist once per process; import it in the main interpreter only");
        return -1;
    }
    if (gk_first_module != NULL)
        return gk_exec_again(module);
    PyMethodDef *tables[] = {gk_doubles_methods, gk_lists_methods, gk_text_methods, gk_cvm_methods,
                             gk_lzstring_methods};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        if (PyModule_AddFunctions(module, tables[i]) < 0)
            return -1;
    if (gk_loader_init() < 0 || gk_lists_init(module) < 0 || gk_cvm_init(module) < 0 || gk_lzstring_init(module) < 0)
        return -1;
    Py_INCREF(module);
    gk_first_module = module;
    return 0;
}

static PyModuleDef_Slot gk_slots[] = {
    {Py_mod_exec, (void *)gk_exec},
#if PY_VERSION_HEX >= 0x030C0000
    /* One Go runtime per process: it cannot be shared between isolated
     * interpreters' module states in any meaningful way. */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#if PY_VERSION_HEX >= 0x030D0000
    /* Safe without the GIL: the loader binds once under its own lock,
     * CVMCounter locks itself, nothing else keeps mutable state, and lists
     * are read inside a critical section (tests/test_freethreading.py). */
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef gk_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "gokernels._native",
    .m_doc = "Go kernels bound by hand-written C (see the gokernels package).",
    .m_size = 0,
    .m_methods = gk_module_methods,
    .m_slots = gk_slots,
};

PyMODINIT_FUNC PyInit__native(void)
{
    return PyModuleDef_Init(&gk_module);
}
