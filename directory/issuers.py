"""Whose key signed a certificate: the providers that state a signing key, by key.

A signature proves only that a key signed; the directory says whose key it is, because a
provider's row may carry its key (``issuer_did``) with the provider's own statement of it
(``issuer_did_source``), reviewed like every other fact. The build writes the lookup as
``directory/issuers.json`` for the Verify page; ``ceu credential verify --data DIR`` reads it
from the data folder (:func:`issuers_in`). Both carry the provider's status as its profile
shows it (directory/status.py), so a certificate from a lapsed provider says so beside its
still valid signature.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from directory.check_report import IACET_PROVIDER_URL
from directory.records import Directory, count_problems
from directory.schema import load_schema
from directory.site_files import DIRECTORY_ROOT, GeneratedPage, page_url, profile_uri
from directory.status import Status, provider_statuses
from directory.validate import ISSUER_DID, ISSUER_DID_SOURCE, errors, validate_directory

#: Where the build writes the lookup, beside the directory's pages.
ISSUERS_JSON = f"{DIRECTORY_ROOT}/issuers.json"


@dataclass(frozen=True)
class IssuerEntry:
    """One provider that states a signing key: the fields of an issuers.json entry, in its order."""

    #: The provider's id (its row in providers.csv).
    id: str
    name: str
    #: The profile page, relative to the site's root as the site writes it (``directory/providers/<id>/``).
    profile: str
    #: The provider's page, or the pull request, that states the key.
    did_source: str
    #: The status label the profile shows ("In good standing").
    status: str
    #: The day the status is computed for (YYYY-MM-DD): the build date.
    status_as_of: str
    #: Why the provider has that status, in the profile's one sentence.
    status_explanation: str

    def as_dict(self) -> dict[str, str]:
        """The entry as issuers.json writes it, for certificates.verdict (a mapping of its fields)."""
        return asdict(self)


class IssuerDataRefused(ValueError):
    """The data folder has errors, so no key in it can be taken as a provider's."""


def issuers(
    directory: Directory,
    today: dt.date,
    *,
    iacet_template: str = IACET_PROVIDER_URL,
    statuses: Mapping[str, Status] | None = None,
) -> dict[str, IssuerEntry]:
    """Each signing key a provider row states -> that provider, with its status as of ``today``.

    ``statuses``: the build's (DirectoryView.statuses), so issuers.json shows the status every
    page shows; computed here otherwise, as the build computes them (``iacet_template`` is the
    site's ``iacet_provider_url`` setting). ``directory`` is validated data: a key names one
    provider (validate.shared_keys) and comes with its source (validate.unsourced_keys).
    """
    providers = [entry for entry in directory.of("providers") if entry.values.get(ISSUER_DID)]
    if not providers:
        return {}
    if statuses is None:
        statuses = provider_statuses(directory, today, iacet_template)
    found: dict[str, IssuerEntry] = {}
    for entry in sorted(providers, key=lambda entry: entry.values[ISSUER_DID]):
        status = statuses[entry.id]
        found[entry.values[ISSUER_DID]] = IssuerEntry(
            id=entry.id,
            name=entry.name,
            profile=page_url(profile_uri(entry)),
            did_source=entry.values[ISSUER_DID_SOURCE],
            status=status.label,
            status_as_of=status.as_of.isoformat(),
            status_explanation=status.rule,
        )
    return found


def issuers_in(
    data_dir: Path,
    today: dt.date,
    *,
    allow_synthetic: bool = False,
    iacet_template: str = IACET_PROVIDER_URL,
) -> dict[str, IssuerEntry]:
    """:func:`issuers` of the data folder ``data_dir``, read and validated as the build reads it.

    Raises IssuerDataRefused (a ValueError) when the data has errors, naming how many and the
    first (``providers.csv:3: issuer_did: ...``); SchemaError and DataFileError (ValueErrors)
    when schema.json or a table cannot be read at all. ``allow_synthetic``: test data.
    """
    schema = load_schema(data_dir)
    directory = validate_directory(data_dir, schema, today, allow_synthetic=allow_synthetic)
    if problems := errors(directory):
        raise IssuerDataRefused(
            f"{data_dir.as_posix()}: the directory data has {count_problems(problems):,} problem(s), so "
            f"its signing keys are not read; the first: {problems[0]} (see ceu directory validate)"
        )
    return issuers(directory, today, iacet_template=iacet_template)


def issuers_document(found: Mapping[str, IssuerEntry], built: dt.date) -> dict[str, object]:
    """issuers.json's content: the build date and each key's entry, keys sorted."""
    return {"built": built.isoformat(), "issuers": {did: found[did].as_dict() for did in sorted(found)}}


def issuers_file(found: Mapping[str, IssuerEntry], built: dt.date) -> GeneratedPage:
    """``directory/issuers.json`` in the built site (an empty map while no provider states a key)."""
    text = json.dumps(issuers_document(found, built), ensure_ascii=False, indent=2) + "\n"
    return GeneratedPage(ISSUERS_JSON, text)
