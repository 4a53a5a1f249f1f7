"""The openceu plugin's settings (mkdocs.yml) are typed: a misspelt name fails the build with
that name, where MkDocs alone would only warn and the setting would take its default."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from hooks.config import with_settings
from tests.build.conftest import build_error
from tests.conftest import REPO_ROOT, plugin_settings

pytestmark = pytest.mark.build


def other_plugins() -> list[Any]:
    import yaml

    plugins = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    return [entry for entry in plugins if not (isinstance(entry, dict) and "openceu" in entry)]


def build_with(settings: dict[str, Any], site_dir: str) -> None:
    """The repository's build with mkdocs.yml's plugin settings replaced by ``settings``."""
    build(
        load_config(
            config_file=str(REPO_ROOT / "mkdocs.yml"),
            site_dir=site_dir,
            plugins=[*other_plugins(), {"openceu": settings}],
        )
    )


def misspelt(settings: dict[str, Any], name: str, wrong: str) -> dict[str, Any]:
    return {(wrong if key == name else key): value for key, value in settings.items()}


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("entries_per_page", "entries_per_pag"),
        ("data_dir", "data_folder"),
        ("iacet_directory_url", "iacet_directory_uri"),
        ("repository", "repo"),
    ],
)
def test_a_misspelt_setting_fails_the_build_naming_it(tmp_path, caplog, name, wrong):
    settings = plugin_settings()
    assert name in settings
    message = build_error(caplog, lambda: build_with(misspelt(settings, name, wrong), str(tmp_path / "site")))
    assert f"Plugin 'openceu' option '{wrong}': not a setting (misspelt?)" in message, message
    assert not (tmp_path / "site").exists()


def test_a_misspelt_kind_of_page_policy_fails_the_build_naming_it(tmp_path, caplog):
    settings = plugin_settings()
    settings["csp"] = misspelt(settings["csp"], "python", "pyhton")
    message = build_error(caplog, lambda: build_with(settings, str(tmp_path / "site")))
    assert "Plugin 'openceu' option 'csp': Sub-option 'pyhton': not a setting (misspelt?)" in message, message


@pytest.mark.parametrize("wrong", [0, -5, True, "ten"])
def test_a_page_with_no_room_for_an_entry_fails_the_build_naming_the_setting(tmp_path, caplog, wrong):
    settings = {**plugin_settings(), "entries_per_page": wrong}
    message = build_error(caplog, lambda: build_with(settings, str(tmp_path / "site")))
    assert "Plugin 'openceu' option 'entries_per_page': Expected" in message, message
    assert not (tmp_path / "site").exists()


def test_the_same_settings_spelt_right_build_the_site(tmp_path, caplog):
    """The way the tests above give the settings builds the site when nothing is misspelt."""
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build_with(plugin_settings(), str(tmp_path / "site"))
    assert (tmp_path / "site" / "directory" / "index.html").is_file()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_a_test_build_cannot_set_a_misspelt_setting_either():
    config = load_config(config_file=str(REPO_ROOT / "mkdocs.yml"))
    with pytest.raises(PluginError, match="data_folder is not a setting"):
        with_settings(config, data_folder="elsewhere")
    with pytest.raises(Abort):  # and a setting's type is checked where mkdocs.yml is read
        load_config(
            config_file=str(REPO_ROOT / "mkdocs.yml"),
            plugins=[*other_plugins(), {"openceu": {**plugin_settings(), "entries_per_page": "many"}}],
        )
