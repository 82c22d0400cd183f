"""Writing a map and reading it back gives the same map, in both workbook forms."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from loaders import VLEUTEN, load_map, write_csv_folder, write_xlsx
from tests.strategies import system_maps


def test_xlsx_and_csv_forms_of_vleuten_load_to_the_same_map(tmp_path: Path) -> None:
    from_csv = load_map(VLEUTEN)
    xlsx = write_xlsx(from_csv, tmp_path / "vleuten.xlsx")
    from_xlsx = load_map(xlsx)
    assert from_xlsx == from_csv
    assert from_xlsx.node("citaat-geluk-2").name.startswith("Ouders zijn deels verantwoordelijk")


def test_csv_written_again_is_byte_identical(tmp_path: Path) -> None:
    m = load_map(VLEUTEN)
    write_csv_folder(m, tmp_path)
    for original in sorted(VLEUTEN.glob("*.csv")):
        assert (tmp_path / original.name).read_text("utf-8") == original.read_text("utf-8"), (
            original.name
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system_maps())
def test_generated_maps_survive_both_forms(m) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "csv"
        write_csv_folder(m, folder)
        from_csv = load_map(folder)
        assert from_csv == m
        from_xlsx = load_map(write_xlsx(m, Path(tmp) / "kaart.xlsx"))
        assert from_xlsx == m
