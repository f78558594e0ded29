"""What the notes engine reads from a module's top level: aliases, optional imports, thread
locals and abstract classes, straight from ``module_facts``."""

from __future__ import annotations

import ast
import textwrap

from covtasks.notes.facts import ModuleFacts, module_facts


def facts_of(source: str, path: str = "src/pkg/mod.py") -> ModuleFacts:
    return module_facts(path, ast.parse(textwrap.dedent(source)))


def test_an_import_inside_a_match_case_binds_its_alias() -> None:
    facts = facts_of(
        """
        match MODE:
            case "fast":
                import ujson as json
            case _:
                pass
        """
    )
    assert facts.aliases == {"json": "ujson"}


def test_a_name_imported_relatively_is_no_dotted_alias_but_a_project_module() -> None:
    facts = facts_of("from ._compat import WIN\n")
    assert "WIN" not in facts.aliases
    assert facts.relative["WIN"] == (("src/pkg/_compat.py", "src/pkg/_compat/__init__.py"), "WIN")


def test_a_class_keyword_other_than_metaclass_does_not_make_it_abstract() -> None:
    facts = facts_of(
        """
        from abc import ABC
        class Settings(dict, total=ABC):
            pass
        class Options(dict, extra=ABC, **more):
            pass
        class Base(metaclass=ABC):
            pass
        """
    )
    assert facts.abstract == {"Settings": False, "Options": False, "Base": True}


def test_imports_under_a_try_that_catches_no_import_error_are_not_optional() -> None:
    facts = facts_of(
        """
        try:
            import fancy
        except ValueError:
            fancy = None
        """
    )
    assert facts.optional == {}


def test_names_imported_from_a_module_under_try_import_error_are_optional() -> None:
    facts = facts_of(
        """
        try:
            from fancylinks.render import link as make_link, style
            from fancylinks import *
        except ImportError:
            make_link = style = None
        """
    )
    assert facts.optional == {"make_link": "fancylinks", "style": "fancylinks"}


def test_only_a_call_of_threading_local_binds_a_thread_local() -> None:
    facts = facts_of(
        """
        import threading
        from threading import local
        from collections import OrderedDict
        _state = local()
        _stack = threading.local()
        _lock = threading.Lock()
        _cache = OrderedDict()
        _scope = registry.local()
        """
    )
    assert facts.thread_locals == {"_state", "_stack"}


def test_an_import_inside_an_except_handler_binds_its_alias() -> None:
    facts = facts_of(
        """
        try:
            import ujson as json
        except ImportError:
            import simplejson as json
        """
    )
    assert facts.aliases["json"] in ("ujson", "simplejson")
    assert facts_of("try:\n    pass\nexcept OSError:\n    import ntpath as paths\n").aliases == {
        "paths": "ntpath"
    }
