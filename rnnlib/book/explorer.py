"""Explorer of one regularity: control parameter, strength and balance -> matrix, spectrum, activity.

:func:`explore` has two faces:

* in a live Jupyter kernel it shows the figure of its initial values and, below
  it, ipywidgets sliders that redraw the figure on every move;
* while the book is built (``rnnlib.book.build`` sets the environment variable
  :data:`STATIC_ENV` to ``"static"`` for the chapter kernels) it precomputes the
  figure on a grid of slider values (:func:`explorer_frames`) and shows them as
  plain HTML: WebP images embedded as ``data:`` URIs, range sliders and a few
  lines of inline JavaScript that switch between the frames, so the explorer
  moves on the published site without a kernel and without loading anything
  from another host.

The frames depend only on their arguments and on the code, so :func:`explorer_frames` keeps
them in the book's cache (:mod:`rnnlib.book.cache`) under a key of both: a second build reads
them instead of drawing them again.
"""
from __future__ import annotations

import base64
import html
import io
import json
import os
from dataclasses import dataclass, field

from . import cache, plotting
from ..model._checks import check_choice, check_int, check_real
from ..model.constructions import ALL_REGULARITIES as REGULARITIES
from ..model.dynamics import run
from .figstyle import COLUMN_WIDTH, DPI
from ..model.seeding import rng
from ..model.weights import make_weights

__all__ = ["REGULARITIES", "STATIC_ENV", "FRAME_GRID", "CAPTION", "Frames", "caption", "explorer_figure",
           "explorer_frames", "explore"]

#: Environment variable that switches :func:`explore` to precomputed frames (value ``"static"``).
STATIC_ENV = "RNNLIB_EXPLORER"
#: Slider values of the precomputed frames (the values given to :func:`explore` are added): the control
#: parameter, the strength and the balance of every regularity.
FRAME_GRID = {
    "control": (0.0, 0.25, 0.5, 0.75, 1.0),
    "strength": (0.8, 1.5, 2.5),
    "balance": (-0.5, 0.0, 0.5),
}
#: What the explorer shows, the caption of its figure; ``{values}`` are the parameters, ``{n}`` the size.
CAPTION = ("The explorer at {values} ({n}): weight matrix (top left), spectrum with the circular law (top right) "
           "and the free-running activity of 60 neurons (bottom).")
_SLIDERS = {"strength": ("strength", "w"), "balance": ("balance", "b")}  # label, symbol
# The slider handler: read each slider's index, show its value, swap in the frame with that key.
_SCRIPT = """(function (root) {
  var frames = JSON.parse(root.querySelector("script.rnnlib-frames").textContent);
  var img = root.querySelector("img"), sliders = root.querySelectorAll("input[type=range]");
  var fixed = JSON.parse(root.dataset.fixed);
  function show() {
    /* looked up on every move: the caption follows this script in the page, so it is not parsed yet at first */
    var figure = root.closest("figure"), caption = figure && figure.querySelector("figcaption .caption-text");
    var key = [], text = [], html = [];
    sliders.forEach(function (s) {
      var value = JSON.parse(s.dataset.values)[s.value];
      s.nextElementSibling.textContent = value;
      key.push(s.value); text.push(s.dataset.symbol + " = " + value);
    });
    img.src = frames[key.join(",")];
    img.alt = root.dataset.alt + " (" + text.join(", ") + ")";
    if (caption) {
      text.concat(fixed).forEach(function (t) {
        var parts = t.split(" = ");
        html.push("<i>" + parts[0] + "</i> = " + parts[1]);
      });
      caption.innerHTML = root.dataset.caption.replace("{values}", html.join(", "))
                                               .replace("{n}", "<i>N</i> = " + root.dataset.n);
    }
  }
  sliders.forEach(function (s) { s.addEventListener("input", show); });
})(document.currentScript.parentElement);"""


def caption(regularity: str, control: float = 0.5, strength: float = 1.5, balance: float = 0.0, *,
            n: int = 100) -> str:
    """The caption of the explorer's figure at these values, in MyST Markdown (the chapter's figure caption).

    On the page the sliders rewrite the caption with the values they show (the same :data:`CAPTION`).
    """
    regularity = check_choice("regularity", regularity, REGULARITIES)
    symbol = plotting.SYMBOLS[regularity]
    values = ", ".join(f"${s} = {float(v):g}$" for s, v in zip((symbol, "w", "b"), (control, strength, balance)))
    return CAPTION.format(values=values, n=f"$N = {n}$")


def explorer_figure(regularity: str, control: float = 0.5, strength: float = 1.5, balance: float = 0.0, *,
                    n: int = 100, steps: int = 120, seed=0):
    r"""Matrix, spectrum and free-running activity of one network.

    The network is ``make_weights(n, strength, balance, **{regularity: control}, seed=seed)``;
    it runs :math:`x(t+1) = \tanh(W x(t))` for ``steps`` steps from
    :math:`x(0) \sim U[-1, 1]^n` drawn from ``rng(seed, "explorer", "initial-state")``.
    The same seed gives the same draws for every slider value (common random numbers).

    Returns
    -------
    fig, data : as :func:`rnnlib.book.plotting.network_panels`, data also holding the parameters.
    """
    regularity = check_choice("regularity", regularity, REGULARITIES)
    control = check_real("control", control, 0.0, 1.0)
    steps = check_int("steps", steps, 1)
    W = make_weights(n, strength, balance, seed=seed, **{regularity: control})
    x0 = rng(seed, "explorer", "initial-state").uniform(-1.0, 1.0, size=(W.shape[0], 1))
    states = run(W, x0, steps, record=True).states[:, :, 0]
    symbol = plotting.SYMBOLS[regularity]
    fig, data = plotting.network_panels(
        W, states, strength=strength, balance=balance,
        correlation=control if regularity == "reciprocity" else None,
        title=f"{plotting.plain(regularity)}: ${symbol} = {control:g}$, $w = {strength:g}$, $b = {balance:g}$, "
              f"$N = {W.shape[0]}$")
    data.update(regularity=regularity, control=control, strength=strength, balance=balance)
    return fig, data


@dataclass(frozen=True)
class Frames:
    """Precomputed explorer figures over a grid of (control, strength, balance).

    Attributes
    ----------
    regularity : str
    axes : dict
        ``{"control": values, "strength": values, "balance": values}``, each sorted.
    initial : tuple of float
        The (control, strength, balance) shown first.
    images : dict
        ``(control, strength, balance) -> WebP bytes`` for every grid point.
    width : int
        Displayed width of a frame in CSS pixels (the figure's width at 96 px per inch).
    n : int
        Neurons of the networks shown (stated in the caption).
    """

    regularity: str
    axes: dict
    initial: tuple
    images: dict = field(repr=False)
    width: int = round(COLUMN_WIDTH * DPI)
    n: int = 100

    def html(self) -> str:
        """The self-contained explorer: first frame, one range slider per axis, frames as data: URIs."""
        names = list(self.axes)
        index = {name: {v: k for k, v in enumerate(self.axes[name])} for name in names}
        moving = [k for k, name in enumerate(names) if len(self.axes[name]) > 1]

        def key(values):
            return ",".join(str(index[names[k]][values[k]]) for k in moving)

        uris = {key(values): "data:image/webp;base64," + base64.b64encode(image).decode("ascii")
                for values, image in self.images.items()}
        symbol = plotting.SYMBOLS[self.regularity]
        words = plotting.plain(self.regularity)
        alt = (f"Weight matrix, eigenvalue spectrum and activity raster of one network with {words} "
               f"as the sliders set it")
        first = key(self.initial)
        sliders = []
        symbols = dict(zip(names, (symbol, "w", "b")))
        for name, value in [(names[k], self.initial[k]) for k in moving]:
            label, sym = _SLIDERS.get(name, (words, symbol))
            label = f"{label} {sym}"
            sliders.append(
                f'<label>{html.escape(label)} '
                f'<input type="range" min="0" max="{len(self.axes[name]) - 1}" step="1" '
                f'value="{index[name][value]}" data-symbol="{sym}" '
                f"data-values='{json.dumps([float(v) for v in self.axes[name]])}' aria-label=\"{html.escape(label)}\">"
                f"<output>{float(value):g}</output></label>")
        text = ", ".join(f"{s} = {float(v):g}" for s, v in zip((symbol, "w", "b"), self.initial))
        fixed = [f"{symbols[names[k]]} = {float(self.initial[k]):g}" for k in range(len(names)) if k not in moving]
        return (f'<div class="rnnlib-explorer" data-regularity="{self.regularity}" data-alt="{html.escape(alt)}" '
                f'data-caption="{html.escape(CAPTION)}" data-n="{self.n}" '
                f"data-fixed='{html.escape(json.dumps(fixed))}'>"
                f'<img src="{uris[first]}" alt="{html.escape(alt)} ({text})" style="width:{self.width}px;max-width:100%">'
                f'<div class="rnnlib-explorer-sliders">{"".join(sliders)}</div>'
                f'<p class="rnnlib-explorer-note">Precomputed frames ({len(self.images)}); in Jupyter the sliders '
                f"take any value.</p>"
                f'<script type="application/json" class="rnnlib-frames">{json.dumps(uris)}</script>'
                f"<script>{_SCRIPT}</script></div>")

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        shape = " x ".join(f"{len(v)} {k}" for k, v in self.axes.items())
        return f"<explorer frames of {self.regularity}: {shape}>"


def explorer_frames(regularity: str, control: float = 0.5, strength: float = 1.5, balance: float = 0.0, *,
                    grid=None, n: int = 100, steps: int = 120, seed=0, dpi: int = 2 * DPI,
                    use_cache: bool = True) -> Frames:
    """Draw :func:`explorer_figure` at every point of ``grid`` as WebP images.

    ``grid`` maps "control", "strength" and "balance" to slider values (a missing axis keeps its
    initial value); the default is :data:`FRAME_GRID`.

    The initial values are added to their axes, so the first frame is exactly ``explorer_figure(regularity,
    control, strength, balance)``. Every frame uses the same ``seed`` (common random numbers), so moving
    one slider changes only what that parameter changes. Frames are lossless WebP at ``dpi`` (default: twice
    the page's 96 px per inch, sharp on a 2x screen; about 70 kB a frame) shown at the figure's width.

    With ``use_cache`` and an integer ``seed`` the frames are read from, or else written to, the book's
    cache (:func:`rnnlib.book.cache.load`) under the key of all these arguments and the code.
    """
    regularity = check_choice("regularity", regularity, REGULARITIES)
    dpi = check_int("dpi", dpi, 20, 300)
    if grid is None:
        grid = FRAME_GRID
    initial = (float(check_real("control", control, 0.0, 1.0)), float(strength), float(balance))
    axes = {name: tuple(sorted({float(v) for v in grid.get(name, ())} | {value}))
            for name, value in zip(("control", "strength", "balance"), initial)}
    key = None
    if use_cache and isinstance(seed, int) and not isinstance(seed, bool):
        key = cache.cache_key("explorer-frames", {"regularity": regularity, "axes": axes, "initial": initial,
                                                  "n": n, "steps": steps, "seed": seed, "dpi": dpi})
        stored = cache.load("explorer-frames", key)
        if stored is not None:
            return _frames_from_json(stored)
    frames = _draw_frames(regularity, axes, initial, n=n, steps=steps, seed=seed, dpi=dpi)
    if key is not None:
        cache.save("explorer-frames", key, _frames_to_json(frames))
    return frames


def _draw_frames(regularity, axes, initial, *, n, steps, seed, dpi) -> Frames:
    import matplotlib.pyplot as plt

    images = {}
    for c in axes["control"]:
        for w in axes["strength"]:
            for b in axes["balance"]:
                fig, _ = explorer_figure(regularity, c, w, b, n=n, steps=steps, seed=seed)
                buf = io.BytesIO()
                fig.savefig(buf, format="webp", dpi=dpi, pil_kwargs={"lossless": True})
                plt.close(fig)
                images[(c, w, b)] = buf.getvalue()
                width = round(fig.get_size_inches()[0] * DPI)
    return Frames(regularity, axes, initial, images, width, n)


def _frames_to_json(frames: Frames) -> bytes:
    """The frames as JSON (images in base64), the form they are cached in."""
    return json.dumps({"regularity": frames.regularity, "axes": frames.axes, "initial": frames.initial,
                       "width": frames.width, "n": frames.n,
                       "images": [[*point, base64.b64encode(image).decode("ascii")]
                                  for point, image in frames.images.items()]}).encode()


def _frames_from_json(blob: bytes) -> Frames:
    """Inverse of :func:`_frames_to_json`."""
    d = json.loads(blob)
    images = {(c, w, b): base64.b64decode(text) for c, w, b, text in d["images"]}
    return Frames(d["regularity"], {k: tuple(v) for k, v in d["axes"].items()}, tuple(d["initial"]), images,
                  d["width"], d["n"])


def explore(regularity: str, control: float = 0.5, strength: float = 1.5, balance: float = 0.0, *,
            n: int = 100, steps: int = 120, seed=0):
    """Show the explorer of ``regularity`` starting at (control, strength, balance).

    In a live kernel: the initial figure, then sliders (control, strength, balance) that redraw it;
    returns the ipywidgets container (already displayed). When the environment variable
    :data:`STATIC_ENV` is ``"static"`` (the book build): the precomputed :class:`Frames` with
    JavaScript sliders, displayed and returned.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    if os.environ.get(STATIC_ENV) == "static":
        frames = explorer_frames(regularity, control, strength, balance, n=n, steps=steps, seed=seed)
        display(frames)
        return frames
    import ipywidgets as widgets

    fig, _ = explorer_figure(regularity, control, strength, balance, n=n, steps=steps, seed=seed)
    display(fig)
    plt.close(fig)
    sliders = {
        "control": widgets.FloatSlider(value=control, min=0.0, max=1.0, step=0.05, description=plotting.plain(regularity)),
        "strength": widgets.FloatSlider(value=strength, min=0.0, max=4.0, step=0.1, description="strength w"),
        "balance": widgets.FloatSlider(value=balance, min=-1.0, max=1.0, step=0.05, description="balance b"),
    }
    out = widgets.Output()

    def redraw(**values):
        with out:
            out.clear_output(wait=True)
            live, _ = explorer_figure(regularity, n=n, steps=steps, seed=seed, **values)
            display(live)
            plt.close(live)

    controls = widgets.HBox(list(sliders.values()))
    for s in sliders.values():
        s.observe(lambda _change: redraw(**{k: w.value for k, w in sliders.items()}), names="value")
    box = widgets.VBox([widgets.HTML("<b>Move the sliders (live in Jupyter; the figure above is the initial state)</b>"),
                        controls, out])
    display(box)
    return box
