"""The explorer's figure shows the network it says it shows; its precomputed frames cover their grid."""
import html
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.book import cache, explorer, plotting  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test gets an empty cache of its own (never the repository's results/cache)."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_reciprocity_one_shows_a_symmetric_matrix_with_real_spectrum():
    _, data = explorer.explorer_figure("reciprocity", control=1.0, strength=1.2, n=40, steps=30)
    np.testing.assert_array_equal(data["W"], data["W"].T)
    assert np.all(data["eigenvalues"].imag == 0)
    assert data["raster"].shape == (40, 30)


def test_matrix_is_the_library_matrix_and_activity_is_bounded():
    _, data = explorer.explorer_figure("dale", control=0.5, strength=2.0, balance=0.2, n=30, steps=20, seed=3)
    np.testing.assert_array_equal(data["W"], rnnlib.make_weights(30, 2.0, 0.2, dale=0.5, seed=3))
    assert np.all(np.abs(data["raster"]) <= 1)
    assert data["radius"] == pytest.approx(rnnlib.circular_law_radius(2.0, 0.2))


def test_zero_strength_is_quiescent():
    _, data = explorer.explorer_figure("modularity", control=1.0, strength=0.0, n=20, steps=5)
    assert np.all(data["raster"] == 0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="regularity"):
        explorer.explorer_figure("symmetry")
    with pytest.raises(ValueError, match="control"):
        explorer.explorer_figure("dale", control=1.5)


def test_explore_builds_sliders():
    box = explorer.explore("modularity", control=0.25, n=20, steps=5)
    sliders = box.children[1].children
    assert [s.value for s in sliders] == [0.25, 1.5, 0.0]
    sliders[0].value = 0.75  # redraws (outside a kernel the Output widget records nothing, but must not fail)


SMALL = {"control": (0.0, 1.0), "strength": (0.5, 2.0), "balance": (-0.5, 0.0)}


def test_frames_cover_the_grid_plus_the_initial_values_and_differ():
    frames = explorer.explorer_frames("dale", control=0.5, strength=1.5, balance=0.0, grid=SMALL,
                                      n=30, steps=20, dpi=30)
    assert frames.axes == {"control": (0.0, 0.5, 1.0), "strength": (0.5, 1.5, 2.0), "balance": (-0.5, 0.0)}
    assert set(frames.images) == {(c, w, b) for c in frames.axes["control"] for w in frames.axes["strength"]
                                  for b in frames.axes["balance"]}
    assert frames.initial == (0.5, 1.5, 0.0)
    assert len(set(frames.images.values())) == len(frames.images)  # every parameter set draws its own picture
    assert all(image[:4] == b"RIFF" and image[8:12] == b"WEBP" for image in frames.images.values())


@pytest.mark.parametrize("regularity", explorer.REGULARITIES)
def test_every_explorer_has_a_balance_slider(regularity):
    assert len(explorer.FRAME_GRID["control"]) >= 3 and len(explorer.FRAME_GRID["strength"]) >= 3
    assert len(explorer.FRAME_GRID["balance"]) >= 3
    frames = explorer.explorer_frames(regularity, n=20, steps=5, dpi=20,
                                      grid={**explorer.FRAME_GRID, "control": (0.0,), "strength": (1.5,)})
    assert frames.axes["balance"] == tuple(sorted(explorer.FRAME_GRID["balance"]))
    page = frames.html()
    assert page.count('type="range"') == 2 and 'data-symbol="b"' in page    # control and balance move
    # a frame per balance, each the network of that balance
    pictures = {b: frames.images[(0.0, 1.5, b)] for b in frames.axes["balance"]}
    assert len(set(pictures.values())) == len(pictures)


def test_the_caption_follows_the_sliders():
    """The page's script rewrites the figure caption from the explorer's template at the values shown."""
    frames = explorer.explorer_frames("dale", grid={"control": (0.0, 1.0), "strength": (1.5,)},
                                      control=1.0, n=20, steps=5, dpi=20)
    page = frames.html()
    assert 'data-caption="' + explorer.CAPTION.replace('"', "&quot;") + '"' in page and 'data-n="20"' in page
    assert "caption.innerHTML" in page and 'closest("figure")' in page
    fixed = json.loads(html.unescape(re.search(r"data-fixed='([^']*)'", page).group(1)))
    assert fixed == ["w = 1.5", "b = 0"]                                # the values no slider moves
    # the Markdown caption of a chapter is the same template at the initial values
    assert explorer.caption("dale", 0.5, 1.5, 0.0, n=100) == explorer.CAPTION.format(
        values="$D = 0.5$, $w = 1.5$, $b = 0$", n="$N = 100$")


@pytest.mark.parametrize("chapter", ["dale", "reciprocity", "modularity", "protection"])
def test_each_chapter_explorer_caption_is_the_template_at_its_initial_values(chapter):
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text())
    (cell,) = [c for c in nb["cells"] if c["cell_type"] == "code" and "explore(" in "".join(c["source"])]
    call = re.search(r'explore\("(\w+)", control=([\d.]+), strength=([\d.]+), balance=([-\d.]+)\)',
                     "".join(cell["source"]))
    regularity, *values = call.groups()
    assert cell["metadata"]["mystnb"]["figure"]["caption"] == explorer.caption(regularity, *map(float, values))


def test_explorer_text_is_legible_on_a_phone():
    """Frames are drawn narrow: in a 360 px column an 11 pt label keeps at least 11 px (and 14.7 px on a wide page)."""
    frames = explorer.explorer_frames("weak_rows", grid={"control": (0.0,), "strength": (1.5,)}, control=0.0,
                                      n=20, steps=5, dpi=20)
    shrink = min(1.0, 360 / frames.width)
    assert frames.width <= 480 and plotting.FONT_SIZE * 96 / 72 * shrink >= 11


def test_frames_html_is_self_contained_with_one_slider_per_moving_axis():
    frames = explorer.explorer_frames("reciprocity", grid={"control": (0.0, 1.0), "strength": (1.0,)},
                                      control=1.0, strength=1.0, n=20, steps=5, dpi=20)
    page = frames.html()
    assert page.count('type="range"') == 1                 # control only; strength and balance are fixed
    assert page.count("data:image/webp;base64,") == 2 + 1  # two frames in the JSON, the first one as img src
    outside = re.sub(r"data:image/webp;base64,[A-Za-z0-9+/=]+", "", page)
    assert "http" not in outside and "//" not in outside  # nothing loaded from another host
    assert "document.currentScript" in page
    assert frames._repr_html_() == page


def test_explore_shows_frames_when_the_book_is_built(monkeypatch):
    monkeypatch.setenv(explorer.STATIC_ENV, "static")
    monkeypatch.setitem(explorer.FRAME_GRID, "control", (0.0, 1.0))
    monkeypatch.setitem(explorer.FRAME_GRID, "strength", (1.5,))
    shown = explorer.explore("modularity", control=0.25, n=20, steps=5)
    assert isinstance(shown, explorer.Frames)
    assert shown.axes["control"] == (0.0, 0.25, 1.0) and shown.initial == (0.25, 1.5, 0.0)


def test_bad_frame_arguments():
    with pytest.raises(ValueError, match="dpi"):
        explorer.explorer_frames("dale", dpi=5, grid={})
    with pytest.raises(ValueError, match="control"):
        explorer.explorer_frames("dale", control=-0.1, grid={})


# --- the frames are cached under a key of their inputs and the code (issue 20) -----------------------

TINY = {"control": 0.0, "grid": {"control": (0.0, 1.0), "strength": (1.5,)}, "n": 20, "steps": 5, "dpi": 20}


@pytest.fixture
def drawings(monkeypatch):
    """Count the figures the explorer draws."""
    calls = []
    draw = explorer.explorer_figure

    def counted(*args, **kwargs):
        calls.append(args)
        return draw(*args, **kwargs)

    monkeypatch.setattr(explorer, "explorer_figure", counted)
    return calls


def test_a_second_build_reads_the_frames_from_the_cache(drawings, private_cache):
    first = explorer.explorer_frames("reciprocity", **TINY)
    assert len(drawings) == 2 and len(list(private_cache.rglob("*"))) == 2   # the kind folder and one file
    second = explorer.explorer_frames("reciprocity", **TINY)
    assert len(drawings) == 2                                  # nothing drawn again
    assert second == first and second.html() == first.html()


def test_a_changed_input_or_code_misses_the_cache(drawings, monkeypatch):
    explorer.explorer_frames("reciprocity", **TINY)
    explorer.explorer_frames("reciprocity", **{**TINY, "steps": 6})           # another argument
    assert len(drawings) == 4
    explorer.explorer_frames("modularity", **TINY)                            # another regularity
    assert len(drawings) == 6
    monkeypatch.setattr(cache, "CACHE_SALT", cache.CACHE_SALT + "-changed")    # the code changed
    explorer.explorer_frames("reciprocity", **TINY)
    assert len(drawings) == 8
    explorer.explorer_frames("reciprocity", **TINY, use_cache=False)           # asked not to use it
    explorer.explorer_frames("reciprocity", **{**TINY, "seed": np.random.default_rng(0)})   # a seed without a key
    assert len(drawings) == 12


def test_the_code_hash_follows_the_source_files(tmp_path, monkeypatch):
    key = cache.cache_key("k", {"a": 1})
    assert key == cache.cache_key("k", {"a": 1}) != cache.cache_key("k", {"a": 2}) != cache.cache_key("j", {"a": 1})
    assert cache.cache_key("k", {"a": 1}, code=("model",)) != key             # other source files, other key
    assert cache.cache_key("k", {"a": 1}, code=cache.ALL_CODE) not in (key, cache.cache_key("k", {"a": 1}, code=("model",)))
    source = tmp_path / "rnnlib"
    for folder in ("", "model"):
        (source / folder).mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(cache, "__file__", str(source / "book" / "cache.py"))  # a package of two files
    (source / "model" / "m.py").write_text("x = 1\n")
    cache._code_hash.cache_clear()
    try:
        before = cache.cache_key("k", {"a": 1}, code=("model",))
        (source / "model" / "m.py").write_text("x = 2\n")                        # an edited module
        cache._code_hash.cache_clear()
        assert cache.cache_key("k", {"a": 1}, code=("model",)) != before
    finally:
        cache._code_hash.cache_clear()


def test_a_corrupt_cache_file_is_recomputed(drawings, private_cache):
    first = explorer.explorer_frames("reciprocity", **TINY)
    (path,) = [p for p in private_cache.rglob("*") if p.is_file()]
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])                                   # cut short
    with pytest.warns(cache.CorruptCacheWarning, match="corrupt"):
        again = explorer.explorer_frames("reciprocity", **TINY)
    assert len(drawings) == 4 and again == first and path.read_bytes() == blob   # drawn again, stored whole
    path.write_bytes(blob.replace(b'"regularity"', b'"regularitz"'))           # altered, same length
    with pytest.warns(cache.CorruptCacheWarning):
        assert explorer.explorer_frames("reciprocity", **TINY) == first
    assert len(drawings) == 6


def test_cache_files_are_written_whole_or_not_at_all(private_cache, monkeypatch):
    path = cache.save("kind", "key", b"payload")
    assert cache.load("kind", "key") == b"payload" and cache.load("kind", "other") is None
    assert path.read_bytes().split(b"\n", 1)[1] == b"payload"

    def fail(tmp):
        raise OSError("disk full")

    from rnnlib.pipeline import store
    with pytest.raises(OSError, match="disk full"):
        store._atomic(private_cache / "kind" / "broken", fail)
    assert sorted(p.name for p in (private_cache / "kind").iterdir()) == ["key"]   # no half file left


def test_remembered_values_are_computed_once_per_input(private_cache):
    calls = []

    def compute():
        calls.append(1)
        return {"ratio": [1.02, 0.98], "fair": True}

    first = cache.remembered("test-kind", {"n": 4}, compute)
    assert cache.remembered("test-kind", {"n": 4}, compute) == first == {"ratio": [1.02, 0.98], "fair": True}
    assert len(calls) == 1                                             # the second call read the file
    cache.remembered("test-kind", {"n": 5}, compute)
    assert len(calls) == 2                                             # another input is another key


def test_matching_table_reads_its_eigenvalues_from_the_cache(private_cache, monkeypatch):
    from rnnlib.book import chapter
    from rnnlib.model import matching
    points = {"chaotic": (0.0, 1.5)}
    table, first = chapter.matching_table("reciprocity", ("pair-copy",), points, n=60)
    monkeypatch.setattr(matching, "pair_spectra", lambda *a, **k: pytest.fail("computed again"))
    again, second = chapter.matching_table("reciprocity", ("pair-copy",), points, n=60)
    assert again == table and second[("pair-copy", "chaotic")]["fair"] == first[("pair-copy", "chaotic")]["fair"]
    assert table.startswith(":::{table} How fair the matched comparison is")
