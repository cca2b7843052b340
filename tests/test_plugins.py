"""One plugin door: readers, extractors and stores through entry points, failures reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from click.testing import CliRunner

import graphkg
from graphkg import plugins
from graphkg.cli import cli
from graphkg.errors import PluginError
from graphkg.model import Article, Entity, Provenance, Relation
from graphkg.pipeline.dispatch import extractor_names, make_extractor
from graphkg.plugins import Registry
from graphkg.vocab import EntityType, Predicate


class _EP:
    def __init__(self, name: str, group: str, target: object) -> None:
        self.name, self.group, self.target, self.value = name, group, target, f"fake.module:{name}"

    def load(self) -> object:
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


@pytest.fixture()
def broken_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = plugins.registry()
    eps = [_EP(n, "graphkg.stores", real.load("stores", n)) for n in real.names("stores")]
    eps.append(_EP("bad", "graphkg.extractors", ModuleNotFoundError("No module named 'nowhere'")))
    fake = Registry(eps)  # type: ignore[arg-type]
    monkeypatch.setattr(plugins, "registry", lambda: fake)
    yield


def test_every_builtin_is_registered_and_loads() -> None:
    reg = plugins.registry()
    assert reg.names("readers") == ["archive", "csv", "feed", "gdelt", "html", "jsonl", "text"]
    assert reg.names("extractors") == ["auto", "gdelt", "learned", "rule"]
    assert reg.names("stores") == ["memory", "neo4j", "oxigraph"]
    for kind in plugins.GROUPS:
        loaded, failed = reg.load_all(kind)
        assert not failed and len(loaded) == len(reg.names(kind))


def test_plugins_command_lists_the_three_groups() -> None:
    res = CliRunner().invoke(cli, ["plugins"])
    assert res.exit_code == 0, res.output
    for line in ("graphkg.readers", "graphkg.extractors", "graphkg.stores",
                 "  rule       graphkg.extract:RuleExtractor", "  archive    graphkg.loaders.archives:ArchiveReader"):
        assert line in res.output.splitlines()


def test_plugins_command_reports_a_broken_plugin_with_its_error(broken_registry: None) -> None:
    res = CliRunner().invoke(cli, ["plugins"])
    assert res.exit_code == 1
    assert ("  bad        fake.module:bad  FAILED: extractor plugin 'bad' (fake.module:bad) failed to load: "
            "ModuleNotFoundError: No module named 'nowhere'") in res.output
    assert "error: 1 plugin(s) failed to load" in res.output


def test_extractor_option_choices_are_the_registry() -> None:
    res = CliRunner().invoke(cli, ["extract", "--help"])
    assert "[auto|gdelt|learned|rule]" in res.output and extractor_names() == ["auto", "gdelt", "learned", "rule"]
    bad = CliRunner().invoke(cli, ["extract", "--extractor", "rules", "x.txt"])
    assert bad.exit_code == 2 and "'rules' is not one of 'auto', 'gdelt', 'learned', 'rule'" in bad.output


def test_unknown_extractor_is_a_plugin_error_naming_the_choices() -> None:
    with pytest.raises(PluginError, match=r"unknown extractor 'rules'; expected one of \['auto', 'gdelt', 'learned', 'rule'\]; "
                                          r"did you mean 'rule'\?"):
        make_extractor("rules")


def test_front_door_exposes_one_entry_per_stage() -> None:
    from graphkg.pipeline import run

    assert graphkg.run is run and graphkg.__version__ == "0.1.0"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        graphkg.nope  # noqa: B018


def test_symmetric_relation_canonical_form() -> None:
    a = Entity("wd:Q2", "B", EntityType.COUNTRY)
    b = Entity("wd:Q1", "A", EntityType.COUNTRY)
    prov = Provenance("art", "A and B met.", 0, 12, "t/1", 0.9)
    meets = Relation(a, Predicate.MEETS, b, prov)
    canon = meets.canonical()
    assert (canon.subject.id, canon.object.id) == ("wd:Q1", "wd:Q2") and canon.key != meets.key
    assert canon.canonical() is canon
    supports = Relation(a, Predicate.SUPPORTS, b, prov)
    assert supports.canonical() is supports  # a directed predicate keeps its direction
    assert Article.make("x", "x.txt", published=date(2025, 1, 1)).published == date(2025, 1, 1)
