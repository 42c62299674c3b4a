"""The methods appendix's tables are read from the library's declarations and the manifests."""
import json

from rnnlib.book import appendix
from rnnlib.pipeline import catalogue, store


def _rows(table):
    return [line for line in table.splitlines()[2:]]


def test_points_and_settings_tables_list_what_the_library_declares():
    points = _rows(appendix.points_table())
    assert len(points) == len(catalogue.POINTS)
    assert "| inhibitory | -0.3 | 1.5 |" in points
    assert any(row.startswith("| `max_period` |") for row in _rows(appendix.settings_table()))


def test_tasks_table_has_a_row_per_task_with_its_shapes():
    rows = _rows(appendix.tasks_table())
    digits = next(r for r in rows if r.startswith("| `digits` |"))
    assert digits.split(" | ")[1:4] == ["8", "8", "10"]      # 8 steps of 8 pixels, 10 classes
    assert len(rows) == 4


def test_profiles_table_reads_each_manifest_and_sums_the_stored_times(tmp_path):
    quick, paper = tmp_path / "quick", tmp_path / "paper"
    for root, entries in ((quick, {"baseline_phase": 1.5}), (paper, {"baseline_phase": 20.0, "scale": 5.25})):
        root.mkdir()
        manifest = {name: {"wall_time_s": t} for name, t in entries.items()}
        (root / store.MANIFEST).write_text(json.dumps(manifest))
    rows = _rows(appendix.profiles_table({"quick": quick, "paper": paper}))
    assert len(rows) == len(catalogue.CATALOG) + 1
    phase = next(r for r in rows if r.startswith("| `baseline_phase` |"))
    assert "| 1.5 s |" in phase and "| 20.0 s |" in phase
    scale = next(r for r in rows if r.startswith("| `scale` |"))
    assert "not stored" in scale and "| 5.2 s |" in scale
    assert rows[-1].endswith("| 2 s |  | 25 s |")
