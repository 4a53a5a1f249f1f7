"""The ``openceu`` plugin's settings (mkdocs.yml, ``plugins: - openceu:``), each typed.

MkDocs only warns about a setting it does not know; here a misspelt name fails the build
with that name (StrictConfig), where it would otherwise silently take the default.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from directory.check_report import IACET_PROVIDER_URL

#: The plugin's name in mkdocs.yml and in pyproject.toml's entry point.
PLUGIN_NAME = "openceu"


class StrictConfig(Config):
    """A config whose unknown names are errors, not warnings."""

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        failed, warnings = super().validate()
        known = sorted(self._schema_keys)
        unknown = [key for key, _ in warnings if key not in self._schema_keys]
        # First: a misspelt name explains the "required" error of the name it was meant to be.
        failed = [
            (key, ValidationError(f"not a setting (misspelt?); the settings are: {', '.join(known)}"))
            for key in unknown
        ] + failed
        return failed, [(key, warning) for key, warning in warnings if key in self._schema_keys]


class PoliciesConfig(StrictConfig):
    """Content-Security-Policy per kind of page (front matter ``csp:``)."""

    default = c.Type(str)
    search = c.Type(str)
    worker = c.Type(str)
    python = c.Type(str)


class Count(c.Type[int]):
    """A whole number of one or more: a listing page with no room for an entry cannot page."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool):  # YAML's yes/no are ints to Python
            raise ValidationError(f"Expected a whole number of 1 or more, not {value!r}")
        number = super().run_validation(value)
        if number < 1:
            raise ValidationError(f"Expected a whole number of 1 or more, not {number}")
        return number


class OpenCEUConfig(StrictConfig):
    #: The directory's tables, relative to mkdocs.yml.
    data_dir = c.Type(str, default="directory_data")
    #: Builds over generated rows (tests, benchmarks) opt in; the published data never has them.
    allow_synthetic = c.Type(bool, default=False)
    #: Where contributions go: "report a problem" and "suggest an entry" open issues here.
    repository = c.Type(str, default="")
    #: IACET's list of accredited providers, linked from every provider profile.
    iacet_directory_url = c.Type(str, default="")
    #: A provider's own IACET record, ``{number}`` for its provider number.
    iacet_provider_url = c.Type(str, default=IACET_PROVIDER_URL)
    #: Entries on one listing page of the directory.
    entries_per_page = Count(default=100)
    csp = c.SubConfig(PoliciesConfig)


def with_settings(config: MkDocsConfig, **settings: object) -> MkDocsConfig:
    """Change the plugin's settings in a loaded config, by name (a build over another data
    folder: tests, benchmarks). A name that is not a setting raises, as it would in mkdocs.yml."""
    plugin_config = config.plugins[PLUGIN_NAME].config
    for name, value in settings.items():
        if name not in plugin_config:
            raise PluginError(f"{PLUGIN_NAME}: {name} is not a setting")
        plugin_config[name] = value
    return config
