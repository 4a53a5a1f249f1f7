"""What the benchmark counts as a search's download (benchmarks/directory_site.py): every file of
the index by its kind, the runtime apart, whatever the address's query says."""

from __future__ import annotations

import pytest

from benchmarks.directory_site import index_kind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://h/pagefind/pagefind-entry.json?ts=1765100000", "pagefind-entry.json"),
        ("http://h/pagefind/pagefind.en_4422318318.pf_meta", ".pf_meta"),
        ("http://h/pagefind/index/en_10202ed.pf_index", ".pf_index"),
        ("http://h/pagefind/filter/en_4097c18.pf_filter", ".pf_filter"),
        ("http://h/pagefind/fragment/en_7fd5e97.pf_fragment", ".pf_fragment"),
        ("http://h/pagefind/pagefind.js", "runtime"),
        ("http://h/pagefind/pagefind-worker.js", "runtime"),
        ("http://h/pagefind/wasm.en.pagefind", "runtime"),
        ("http://h/pagefind/wasm.en.pagefind?v=2", "runtime"),
        ("http://h/pagefind/something-new.bin", "other"),
    ],
)
def test_each_file_is_counted_as_its_kind(url: str, kind: str) -> None:
    assert index_kind(url) == kind
