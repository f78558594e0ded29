"""Owners: config rules (last match wins), then CODEOWNERS with GitHub's rules, then default."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from covtasks.config import OwnerRule
from covtasks.errors import ConfigError
from covtasks.owners import OwnerResolver, load_codeowners, parse_codeowners

CODEOWNERS_TEXT = """\
# Lines starting with '#' are comments.

*                 @acme/everyone
*.py              @acme/python   # an inline comment is not an owner
/acme/io/         @io-team ana@example.com
acme/gpu/**       @gpu-team
acme/gpu/legacy.py
docs/*            @writers
\\#weird.py        @hash-owner
!acme/negated.py  @nobody
acme/bad\\
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def resolver_for(root: Path, rules: tuple[OwnerRule, ...] = ()) -> OwnerResolver:
    return OwnerResolver(rules, load_codeowners(root), "tv")


def test_load_codeowners_without_any_file_returns_none(tmp_path: Path) -> None:
    assert load_codeowners(tmp_path) is None


def test_load_codeowners_prefers_github_folder_over_root_and_docs(tmp_path: Path) -> None:
    write(tmp_path, "docs/CODEOWNERS", "* @from-docs\n")
    write(tmp_path, "CODEOWNERS", "* @from-root\n")
    github = write(tmp_path, ".github/CODEOWNERS", "* @from-github\n")
    found = load_codeowners(tmp_path)
    assert found is not None
    assert found.path == github
    assert resolver_for(tmp_path).owner_of("x.py") == "@from-github"


def test_load_codeowners_falls_back_to_docs_folder(tmp_path: Path) -> None:
    write(tmp_path, "docs/CODEOWNERS", "* @from-docs\n")
    assert resolver_for(tmp_path).owner_of("x.py") == "@from-docs"


def test_load_codeowners_unreadable_file_raises_config_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "CODEOWNERS").write_bytes(b"* @\xff\xfe\n")
    with pytest.raises(ConfigError, match="CODEOWNERS: cannot read CODEOWNERS"):
        load_codeowners(tmp_path)


def test_parse_codeowners_skips_comments_blanks_negations_and_invalid_lines() -> None:
    parsed = parse_codeowners(CODEOWNERS_TEXT, Path("CODEOWNERS"))
    assert [rule.pattern for rule in parsed.rules] == [
        "*",
        "*.py",
        "/acme/io/",
        "acme/gpu/**",
        "acme/gpu/legacy.py",
        "docs/*",
        "\\#weird.py",
    ]
    assert parsed.rules[1].owners == ("@acme/python",)
    assert parsed.rules[1].line == 4
    assert parsed.rules[4].owners == ()


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("README.md", "@acme/everyone"),
        ("acme/core.py", "@acme/python"),
        ("acme/io/paths.py", "@io-team ana@example.com"),
        ("sub/acme/io/paths.py", "@acme/python"),
        ("acme/gpu/kernels.py", "@gpu-team"),
        ("docs/guide.md", "@writers"),
        ("docs/api/deep.md", "@acme/everyone"),
        ("#weird.py", "@hash-owner"),
    ],
)
def test_codeowners_last_matching_line_wins(tmp_path: Path, path: str, owner: str) -> None:
    write(tmp_path, ".github/CODEOWNERS", CODEOWNERS_TEXT)
    assert resolver_for(tmp_path).owner_of(path) == owner


def test_codeowners_line_without_owners_unassigns_so_default_owner_applies(
    tmp_path: Path,
) -> None:
    write(tmp_path, ".github/CODEOWNERS", CODEOWNERS_TEXT)
    assert resolver_for(tmp_path).owner_of("acme/gpu/legacy.py") == "tv"


def test_owner_of_without_rules_or_codeowners_gives_default(tmp_path: Path) -> None:
    assert OwnerResolver((), None, "maria").owner_of("pkg/a.py") == "maria"


def test_owner_rules_take_precedence_over_codeowners(tmp_path: Path) -> None:
    write(tmp_path, "CODEOWNERS", "*.py @code-owner\n")
    rules = (OwnerRule("pkg/io/", "ines"),)
    resolver = resolver_for(tmp_path, rules)
    assert resolver.owner_of("pkg/io/paths.py") == "ines"
    assert resolver.owner_of("pkg/cli.py") == "@code-owner"


def test_owner_rules_last_matching_rule_wins() -> None:
    rules = (
        OwnerRule("pkg/**", "first"),
        OwnerRule("*.py", "second"),
        OwnerRule("pkg/special.py", "third"),
    )
    resolver = OwnerResolver(rules, None, "tv")
    assert resolver.owner_of("pkg/special.py") == "third"
    assert resolver.owner_of("pkg/other.py") == "second"
    assert resolver.owner_of("pkg/data.txt") == "first"
    assert resolver.owner_of("setup.cfg") == "tv"


def test_owner_rule_negation_matching_last_falls_through_to_codeowners(tmp_path: Path) -> None:
    write(tmp_path, "CODEOWNERS", "* @code-owner\n")
    rules = (OwnerRule("pkg/", "team"), OwnerRule("!pkg/vendored.py", "ignored"))
    resolver = resolver_for(tmp_path, rules)
    assert resolver.owner_of("pkg/vendored.py") == "@code-owner"
    assert resolver.owner_of("pkg/mine.py") == "team"


def test_owner_rule_with_invalid_glob_raises_config_error_naming_the_file() -> None:
    with pytest.raises(ConfigError, match=r"^/p/pyproject.toml: owners pattern 'pkg\\\\'"):
        OwnerResolver((OwnerRule("pkg\\", "x"),), None, "tv", Path("/p/pyproject.toml"))


def test_owner_rule_with_bad_character_range_raises_config_error() -> None:
    with pytest.raises(ConfigError, match=r"pyproject\.toml: owners pattern"):
        OwnerResolver((OwnerRule("[z-a].py", "x"),), None, "tv")


def test_owner_of_ten_thousand_paths_answers_each_and_repeats_from_cache(
    tmp_path: Path,
) -> None:
    lines = [f"pkg/team{number}/ @team{number}" for number in range(50)]
    write(tmp_path, "CODEOWNERS", "\n".join(lines) + "\n")
    rules = tuple(OwnerRule(f"pkg/team{number}/special_*.py", "rule") for number in range(20))
    resolver = resolver_for(tmp_path, rules)
    paths = [f"pkg/team{number % 60}/mod{number}.py" for number in range(10_000)]
    owners = [resolver.owner_of(path) for path in paths]
    assert owners[7] == "@team7"
    assert owners[55] == "tv"
    assert [resolver.owner_of(path) for path in paths] == owners


def test_a_line_github_cannot_parse_is_skipped_and_the_lines_after_it_still_count() -> None:
    parsed = parse_codeowners("*.py @python\nacme/bad\\\ndocs/* @writers\n", Path("CODEOWNERS"))
    assert [(rule.pattern, rule.line) for rule in parsed.rules] == [("*.py", 1), ("docs/*", 3)]


def git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)


def test_codeowners_at_the_git_root_applies_to_a_subproject_with_root_relative_patterns(
    tmp_path: Path,
) -> None:
    git_init(tmp_path)
    write(tmp_path, ".github/CODEOWNERS", "* @all\n/services/api/pkg/ @api-team\n/pkg/ @root\n")
    project = tmp_path / "services" / "api"
    write(project, "pyproject.toml", "")
    resolver = resolver_for(project)
    assert resolver.owner_of("pkg/handlers.py") == "@api-team"
    assert resolver.owner_of("tools/x.py") == "@all"


def test_codeowners_of_the_repository_wins_over_one_in_the_subproject(tmp_path: Path) -> None:
    git_init(tmp_path)
    write(tmp_path, "CODEOWNERS", "*.py @repo-owner\n")
    project = tmp_path / "sub"
    write(project, ".github/CODEOWNERS", "*.py @project-owner\n")
    found = load_codeowners(project)
    assert found is not None
    assert (found.path, found.prefix) == (tmp_path / "CODEOWNERS", "sub/")


def test_subprojects_own_codeowners_serves_when_the_repository_has_none(tmp_path: Path) -> None:
    git_init(tmp_path)
    project = tmp_path / "sub"
    write(project, "docs/CODEOWNERS", "/pkg/ @project-owner\n")
    assert resolver_for(project).owner_of("pkg/a.py") == "@project-owner"


def test_a_worktree_whose_git_is_a_file_is_a_repository_root(tmp_path: Path) -> None:
    write(tmp_path, ".git", "gitdir: /somewhere/else\n")
    write(tmp_path, ".github/CODEOWNERS", "/lib/pkg/ @lib-team\n")
    assert resolver_for(tmp_path / "lib").owner_of("pkg/a.py") == "@lib-team"


# "-tools" sorts before ".", the name a project at the repository root has relative to it.
@pytest.mark.parametrize(
    ("folder", "prefix", "owner"),
    [(".", "", "@root"), ("sub", "sub/", "@sub"), ("-tools/api", "-tools/api/", "@tools")],
)
def test_repository_codeowners_match_with_the_projects_folder_in_front(
    tmp_path: Path, folder: str, prefix: str, owner: str
) -> None:
    git_init(tmp_path)
    write(tmp_path, "CODEOWNERS", "* @all\n/pkg/ @root\n/sub/pkg/ @sub\n/-tools/api/pkg/ @tools\n")
    project = tmp_path / folder
    project.mkdir(parents=True, exist_ok=True)
    found = load_codeowners(project)
    assert found is not None
    assert found.prefix == prefix
    assert resolver_for(project).owner_of("pkg/a.py") == owner
