"""`ceu credential issue` and `ceu credential verify`, run as a user runs them (the real CLI as a
subprocess): certificates signed from a list of names or the annual report's attendance file,
verified offline and looked up in a directory data folder; bad input is one line and changes
nothing. The signing keys are made up for the tests; no real provider's key is used."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from certificates import did_key, key_file, link, model, proof
from tests.conftest import PUBLIC_TEST_SITE
from tests.unit.test_cli import ceu
from tests.unit.test_directory_issuers import RECENT, keyed, write_checks
from tests.unit.test_directory_validate import TODAY, dataset, provider

PASSPHRASE = "correct horse battery staple"
GOOD_SEED, LAPSED_SEED, UNLISTED_SEED = bytes(range(32)), bytes(range(1, 33)), bytes(range(2, 34))
SITE = "https://openceu.example/"


def did_of_seed(seed: bytes) -> str:
    return did_key.did_of(proof.public_key_of_seed(seed))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Key files for three keys, a passphrase file, and a data folder listing two of the keys."""
    root = tmp_path_factory.mktemp("credentials")
    for name, seed in (("good", GOOD_SEED), ("lapsed", LAPSED_SEED), ("unlisted", UNLISTED_SEED)):
        made = key_file.new_key_file(
            seed, f"{name.title()} Training Co.", PASSPHRASE, dt.datetime.now(dt.UTC)
        )
        (root / f"{name}-signing-key.json").write_text(key_file.key_file_text(made), encoding="utf-8")
    (root / "passphrase.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    data = root / "data"
    data.mkdir()
    good = keyed(0, did_of_seed(GOOD_SEED), source_date=RECENT)
    lapsed = keyed(
        1,
        did_of_seed(LAPSED_SEED),
        f"{PUBLIC_TEST_SITE}/pull/7",
        standing="lapsed",
        source_date="2025-03",
    )
    dataset(data, [good, lapsed, provider(2)])
    check = {"table": "providers", "id": "p-000", "check": "source", "checked_on": TODAY.isoformat()}
    write_checks(
        data, [{**check, "url": good["source_url"], "http_status": "200", "outcome": "quote-present"}]
    )
    (root / "names.txt").write_text("Ana Lima\n\nBo Chen\nChloé Dubois-Ngata\n", encoding="utf-8")
    return root


def issue(folder: Path, out: str, *extra: str, key: str = "good") -> tuple[int, str, str]:
    done = ceu(
        "credential", "issue", "--key", str(folder / f"{key}-signing-key.json"),
        "--passphrase-file", str(folder / "passphrase.txt"),
        "--title", "Confined Space Entry", "--start", "2026-12-01", "--end", "2026-12-02", "--hours", "12",
        "--out", str(folder / out), "--site", SITE, *extra,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def verify(path: Path, folder: Path, *extra: str) -> tuple[int, str, str]:
    done = ceu(
        "credential",
        "verify",
        str(path),
        "--data",
        str(folder / "data"),
        "--as-of",
        TODAY.isoformat(),
        *extra,
    )
    return done.returncode, done.stdout, done.stderr


def test_issued_certificates_verify_as_signed_by_the_listed_provider(folder: Path):
    status, out, err = issue(folder, "listed", "--learners", str(folder / "names.txt"))
    assert (status, err) == (0, "")
    assert out.startswith(
        "3 certificate(s) of 1.2 IACET CEU for 'Confined Space Entry' signed by did:key:z6Mk"
    )
    files = sorted((folder / "listed").glob("*.json"))
    assert [file.name for file in files] == [
        "001-ana-lima.json",
        "002-bo-chen.json",
        "003-chloe-dubois-ngata.json",
    ]
    status, out, err = verify(files[2], folder)
    name = provider(0)["name"]
    assert (status, err) == (0, "")
    assert out == (
        f"Signed by a key that {name} lists (source {PUBLIC_TEST_SITE}/providers/0/signing-key), "
        f"status In good standing as of {TODAY}; 1.2 IACET CEU for 'Confined Space Entry', 2026-12-01 to "
        "2026-12-02, issued to Chloé Dubois-Ngata.\n"
    )
    data = json.loads(verify(files[0], folder, "--json")[1])
    assert data["outcome"] == "listed" and data["issuer"]["id"] == "p-000"
    assert data["facts"]["credits"] == "1.2" and data["facts"]["contact_hours"] == "12"
    assert data["facts"]["learner"] == "Ana Lima" and data["facts"]["credit_system"] == "iacet-ceu"


def test_each_learners_link_carries_the_credential(folder: Path):
    issue(folder, "links", "--learners", str(folder / "names.txt"))
    lines = (folder / "links" / "links.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["Ana Lima", "Bo Chen", "Chloé Dubois-Ngata"]
    _, address = lines[1].split("\t")
    assert address.startswith(f"{SITE}verify/#credential=")
    assert model.loads(link.credential_of(address)) == model.loads(
        (folder / "links" / "002-bo-chen.json").read_text(encoding="utf-8")
    )
    (folder / "link.txt").write_text(address + "\n", encoding="utf-8")
    status, out, _ = verify(folder / "link.txt", folder)
    assert status == 0 and out.endswith("issued to Bo Chen.\n")


def test_an_unlisted_key_is_said_plainly(folder: Path):
    issue(folder, "unlisted", "--learners", str(folder / "names.txt"), key="unlisted")
    status, out, _ = verify(folder / "unlisted" / "001-ana-lima.json", folder)
    assert status == 0
    assert out.startswith(
        "The signature is valid, but the key that signed it is not in the directory: we cannot tell who issued it."
    )


def test_a_lapsed_providers_status_stands_beside_the_valid_signature(folder: Path):
    issue(folder, "lapsed", "--learners", str(folder / "names.txt"), key="lapsed")
    status, out, _ = verify(folder / "lapsed" / "001-ana-lima.json", folder)
    assert status == 0
    assert (
        "status Lapsed as of" in out
        and "The signature is still valid, but the provider is now: Lapsed." in out
    )


def test_a_changed_certificate_is_not_valid(folder: Path):
    issue(folder, "changed", "--learners", str(folder / "names.txt"))
    path = folder / "changed" / "001-ana-lima.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"creditsEarned": 1.2', '"creditsEarned": 2.4'),
        encoding="utf-8",
    )
    status, out, err = verify(path, folder)
    assert (status, out, err) == (
        1,
        "Not valid: the signature does not match the credential: it was changed after signing.\n",
        "",
    )


def test_an_expired_certificate_is_not_valid(folder: Path):
    issue(folder, "expiring", "--learners", str(folder / "names.txt"), "--valid-until", "2027-12-31")
    path = folder / "expiring" / "001-ana-lima.json"
    assert verify(path, folder, "--as-of", "2027-12-31")[0] == 0
    status, out, _ = verify(path, folder, "--as-of", "2028-01-01")
    assert (status, out) == (1, "Not valid: the credential expired on 2027-12-31.\n")


def test_certificates_from_the_annual_reports_attendance_file(folder: Path):
    rows = [["learner_id", "event_id", "date", "ceus_awarded"]]
    rows += [[f"Learner {n:03d}", "EV-12", "2026-12-02", "1.2"] for n in range(100)]
    rows += [["Learner 000", "EV-12", "2026-12-02", "1.2"], ["No Show", "EV-12", "2026-12-02", "0"]]
    rows += [["Other Course", "EV-13", "2026-12-05", "0.5"]]
    path = folder / "attendance.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    status, out, err = issue(folder, "report", "--attendance", str(path), "--event", "EV-12", "--json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["count"] == 100 and data["credits"] == "1.2"
    assert [item["learner"] for item in data["files"]] == [f"Learner {n:03d}" for n in range(100)]
    assert verify(Path(data["files"][99]["file"]), folder)[1].endswith("issued to Learner 099.\n")


def _one_line(err: str, command: str) -> str:
    assert err.count("\n") == 1 and err.startswith(f"ceu credential {command}: error: "), err
    return err


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"--passphrase-file": "wrong.txt"}, "Wrong passphrase for this key file."),
        ({"--start": "2026-02-30"}, "--start: '2026-02-30' is not a date that exists"),
        ({"--hours": "-3"}, "--hours: cannot be negative"),
        ({"--hours": "0.1"}, "--hours: 6 min / 600 = 0.01 IACET CEU"),
        (
            {"--hours": "2.3333", "--rule": "nc-engineering-pdh"},
            "--rule: the rule gives 7/3 PDH, which no decimal",
        ),
        ({"--rule": "no-such-rule"}, "--rule: 'no-such-rule' is not a credit system id"),
        ({"--end": "2026-11-30"}, "--end: the course ends (2026-11-30) before it starts"),
        ({"--site": "ftp://openceu.example/"}, "--site: 'ftp://openceu.example/' is not an http(s) address"),
        ({"--key": "names.txt"}, "This is not a signing key file: it is not JSON."),
        ({"--learners": "empty.txt"}, "no learner to issue a certificate to"),
    ],
)
def test_bad_input_to_issue_is_one_line_and_writes_nothing(folder: Path, changes: dict[str, str], words: str):
    (folder / "wrong.txt").write_text("a wrong passphrase here\n", encoding="utf-8")
    (folder / "empty.txt").write_text("\n\n", encoding="utf-8")
    given = {
        "--key": "good-signing-key.json", "--passphrase-file": "passphrase.txt", "--learners": "names.txt",
        "--title": "Course", "--start": "2026-12-01", "--end": "2026-12-01", "--hours": "12", "--rule": "iacet-ceu",
        "--site": SITE,
    }  # fmt: skip
    files = {"--key", "--passphrase-file", "--learners"}
    arguments = [
        part
        for flag, value in {**given, **changes}.items()
        for part in (flag, str(folder / value) if flag in files else value)
    ]
    out = folder / "refused"
    done = ceu("credential", "issue", *arguments, "--out", str(out))
    assert done.returncode == 2 and done.stdout == ""
    assert words in _one_line(done.stderr, "issue")
    assert not out.exists()


def test_issue_never_replaces_a_file(folder: Path):
    issue(folder, "twice", "--learners", str(folder / "names.txt"))
    before = (folder / "twice" / "001-ana-lima.json").read_bytes()
    status, _, err = issue(folder, "twice", "--learners", str(folder / "names.txt"))
    assert status == 2 and "001-ana-lima.json: already exists" in _one_line(err, "issue")
    assert (folder / "twice" / "001-ana-lima.json").read_bytes() == before


def test_the_passphrase_may_come_from_the_environment(folder: Path):
    import subprocess

    from tests.unit.test_cli import CEU

    done = subprocess.run(
        [CEU, "credential", "issue", "--key", str(folder / "good-signing-key.json"), "--title", "Course",
         "--start", "2026-12-01", "--hours", "1", "--learners", str(folder / "names.txt"),
         "--out", str(folder / "environment"), "--site", SITE],
        capture_output=True, text=True, env={**os.environ, "OPENCEU_KEY_PASSPHRASE": PASSPHRASE}, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "of 0.1 IACET CEU" in done.stdout
    no_passphrase = subprocess.run(
        [CEU, "credential", "issue", "--key", str(folder / "good-signing-key.json"), "--title", "Course",
         "--start", "2026-12-01", "--hours", "1", "--learners", str(folder / "names.txt"),
         "--out", str(folder / "no-passphrase"), "--site", SITE],
        capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "OPENCEU_KEY_PASSPHRASE"},
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert no_passphrase.returncode == 2 and "--passphrase-file" in _one_line(no_passphrase.stderr, "issue")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "not a credential: the file is not JSON"),
        ("[1, 2]", "not a credential: the file is JSON but not an object"),
        ('{"name": "a certificate"}', "its type does not name VerifiableCredential"),
        ("https://openceu.example/verify/#credential=@@", "not base64url"),
    ],
)
def test_a_file_that_is_not_a_credential_is_one_line(folder: Path, text: str, words: str):
    path = folder / "not-a-credential.json"
    path.write_text(text, encoding="utf-8")
    status, out, err = verify(path, folder)
    assert (status, out) == (2, "")
    assert words in _one_line(err, "verify")


def test_a_malformed_credential_is_not_valid_and_names_the_field(folder: Path):
    issue(folder, "malformed", "--learners", str(folder / "names.txt"))
    path = folder / "malformed" / "001-ana-lima.json"
    credential = model.loads(path.read_text(encoding="utf-8"))
    del credential["credentialSubject"]["creditsEarned"]
    path.write_text(model.dumps(credential), encoding="utf-8")
    status, out, _ = verify(path, folder)
    assert status == 1 and out.startswith("Not valid: ")
    # The proof fails first (the signed credential lost a field); the facts name it when the proof holds.
    facts_only = model.loads(path.read_text(encoding="utf-8"))
    facts_only.pop("proof")
    resigned = proof.sign(facts_only, GOOD_SEED, dt.datetime.now(dt.UTC))
    path.write_text(model.dumps(resigned), encoding="utf-8")
    status, out, _ = verify(path, folder)
    assert (status, out) == (
        1,
        "Not valid: the credential is malformed: credentialSubject.creditsEarned is missing.\n",
    )


def write_example_files(folder: Path) -> str:
    """The files `ceu credential --help`'s examples name (tests/unit/test_cli_help.py runs them):
    a key file, a list of names and a signed certificate; returns the key file's passphrase."""
    made = key_file.new_key_file(GOOD_SEED, "Example Training Co.", PASSPHRASE, dt.datetime.now(dt.UTC))
    (folder / "example-signing-key.json").write_text(key_file.key_file_text(made), encoding="utf-8")
    (folder / "names.txt").write_text("Ana Lima\nBo Chen\n", encoding="utf-8")
    from tests.unit.test_certificate_proof import SIGNED

    (folder / "certificate.json").write_text(model.dumps(SIGNED), encoding="utf-8")
    return PASSPHRASE


def test_the_course_dates_default_to_the_events_dates_in_the_attendance_file(folder: Path):
    path = folder / "two-days.csv"
    path.write_text(
        "learner_id,event_id,date,ceus_awarded\nAna Lima,W-1,2026-11-03,1.2\nBo Chen,W-1,2026-11-04,1.2\n"
        "Ana Lima,W-1,2026-11-04,0\n",
        encoding="utf-8",
    )
    done = ceu(
        "credential", "issue", "--key", str(folder / "good-signing-key.json"), "--passphrase-file",
        str(folder / "passphrase.txt"), "--title", "Workshop", "--hours", "12", "--attendance", str(path),
        "--event", "W-1", "--out", str(folder / "two-days"), "--site", SITE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    facts = model.read_facts(
        model.loads((folder / "two-days" / "002-bo-chen.json").read_text(encoding="utf-8"))
    )
    assert (facts.start, facts.end, facts.learner) == (dt.date(2026, 11, 3), dt.date(2026, 11, 4), "Bo Chen")


@pytest.mark.parametrize(
    ("text", "event", "words"),
    [
        ("learner_id,event_id,date,ceus_awarded\nAna,E,2026-02-30,1\n", "E", "1 bad line(s): 2"),
        ("name,event\nAna,E\n", "E", "expected the header learner_id,event_id,date,ceus_awarded"),
        (
            "learner_id,event_id,date,ceus_awarded\nAna,E,2026-01-02,1\n",
            "F",
            "--event: 'F' is not an event_id",
        ),
        (
            "learner_id,event_id,date,ceus_awarded\nAna,E,2026-01-02,0\n",
            "E",
            "no learner to issue a certificate to",
        ),
    ],
)
def test_a_bad_attendance_file_is_one_line(folder: Path, text: str, event: str, words: str):
    path = folder / "bad-attendance.csv"
    path.write_text(text, encoding="utf-8")
    done = ceu(
        "credential", "issue", "--key", str(folder / "good-signing-key.json"), "--passphrase-file",
        str(folder / "passphrase.txt"), "--title", "Workshop", "--hours", "12", "--attendance", str(path),
        "--event", event, "--out", str(folder / "bad-attendance"), "--site", SITE,
    )  # fmt: skip
    assert done.returncode == 2 and words in _one_line(done.stderr, "issue")
    assert not (folder / "bad-attendance").exists()
