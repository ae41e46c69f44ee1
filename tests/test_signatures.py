"""Every public callable has an inspect.signature (the C functions through the
signature line of their docstring), and it agrees with the installed .pyi stub:
the same parameters, kinds and defaults. (`make typing` runs mypy's stubtest,
which checks the types too; this test needs no mypy.)"""

import ast
import inspect
import os
import types

import pytest

import gokernels

SUBMODULES = [getattr(gokernels, n) for n in gokernels.__all__ if isinstance(getattr(gokernels, n), types.ModuleType)]
STUB_DIR = os.path.dirname(gokernels.__file__)


def public_callables():
    """(qualified name, object, whether its signature starts with self) for every
    public function, class and method, named after the submodule that exports it
    (the top-level names are re-exports)."""
    seen = set()
    for module in SUBMODULES + [gokernels]:
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType) or not callable(obj) or id(obj) in seen:
                continue
            if isinstance(obj, type) and issubclass(obj, BaseException):
                continue  # exceptions take the standard (*args)
            seen.add(id(obj))
            qualname = "%s.%s" % (module.__name__, name)
            yield qualname, obj, False
            if isinstance(obj, type):
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and not isinstance(member, (property, types.GetSetDescriptorType)):
                        unbound = not isinstance(member, (staticmethod, classmethod))
                        yield "%s.%s" % (qualname, attr), getattr(obj, attr), unbound


CALLABLES = sorted(public_callables(), key=lambda item: item[0])


def stub_signatures(module):
    """{qualified name: [(parameter, kind, default)]} from the module's installed .pyi stub."""
    path = os.path.join(os.path.dirname(gokernels.__file__), module.__name__.rsplit(".", 1)[-1] + ".pyi")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    out = {}

    def params(fn, drop_first):
        a = fn.args
        positional = a.posonlyargs + a.args
        defaults = [inspect.Parameter.empty] * (len(positional) - len(a.defaults)) + [
            ast.literal_eval(d) for d in a.defaults
        ]
        result = [(p.arg, inspect.Parameter.POSITIONAL_ONLY, d) for p, d in zip(a.posonlyargs, defaults)]
        result += [
            (p.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, d) for p, d in zip(a.args, defaults[len(a.posonlyargs) :])
        ]
        if a.vararg:
            result.append((a.vararg.arg, inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.empty))
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            default = inspect.Parameter.empty if d is None else ast.literal_eval(d)
            result.append((p.arg, inspect.Parameter.KEYWORD_ONLY, default))
        if a.kwarg:
            result.append((a.kwarg.arg, inspect.Parameter.VAR_KEYWORD, inspect.Parameter.empty))
        return result[1:] if drop_first else result

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out["%s.%s" % (module.__name__, node.name)] = params(node, False)
        elif isinstance(node, ast.ClassDef):
            out["%s.%s" % (module.__name__, node.name)] = []  # no __new__ or __init__: ()
            for item in node.body:
                if not isinstance(item, ast.FunctionDef):
                    continue
                decorators = {d.id for d in item.decorator_list if isinstance(d, ast.Name)}
                if "property" in decorators:
                    continue
                name = node.name if item.name in ("__new__", "__init__") else "%s.%s" % (node.name, item.name)
                drop = "staticmethod" not in decorators
                out["%s.%s" % (module.__name__, name)] = params(item, drop)
    return out


STUBS = {}
for _module in SUBMODULES:
    STUBS.update(stub_signatures(_module))


def is_c(obj):
    """Defined in C: a builtin function, a method descriptor, or a static type."""
    heap_type = 1 << 9  # Py_TPFLAGS_HEAPTYPE: classes defined in Python
    return (
        isinstance(obj, (types.BuiltinFunctionType, types.MethodDescriptorType))
        or isinstance(obj, type)
        and not obj.__flags__ & heap_type
    )


def runtime_params(obj, unbound):
    params = [(p.name, p.kind, p.default) for p in inspect.signature(obj).parameters.values()]
    return params[1:] if unbound else params


def test_there_are_public_callables():
    names = {name for name, _, _ in CALLABLES}
    assert "gokernels.doubles.count_doubles" in names and "gokernels.cvm.CVMCounter.update" in names
    assert len(names) >= 30


@pytest.mark.parametrize("name, obj, unbound", CALLABLES, ids=[name for name, _, _ in CALLABLES])
def test_signature(name, obj, unbound):
    sig = inspect.signature(obj)  # ValueError when a C docstring lacks its signature line
    if is_c(obj):
        assert obj.__text_signature__, name + ": its docstring does not start with a signature line"
        assert obj.__doc__ and obj.__doc__.strip(), name + " has no docstring beyond its signature"
    module = name.split(".")[1]
    if name.count(".") == 1 or not os.path.exists(os.path.join(STUB_DIR, module + ".pyi")):
        return  # no stub to compare with
    assert name in STUBS, "%s%s is missing from %s.pyi" % (name, sig, module)
    assert runtime_params(obj, unbound) == STUBS[name], "%s%s disagrees with %s.pyi" % (name, sig, module)
