/* gokernels._native: the module definition. Each kernel's functions live in
 * its own file (doubles.c, ...) and are added here. */
#include "gokernels.h"

static PyMethodDef gk_module_methods[] = {
    {"_go_loaded", gk_go_loaded, METH_NOARGS,
     "_go_loaded($module, /)\n--\n\n"
     "Whether the Go runtime has been loaded into this process (it loads on "
     "first use, never at import)."},
    {NULL, NULL, 0, NULL},
};

static int gk_exec(PyObject *module)
{
    PyMethodDef *tables[] = {gk_doubles_methods, gk_lists_methods, gk_text_methods, gk_cvm_methods,
                             gk_lzstring_methods};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        if (PyModule_AddFunctions(module, tables[i]) < 0)
            return -1;
    if (gk_cvm_init(module) < 0 || gk_lzstring_init(module) < 0)
        return -1;
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
