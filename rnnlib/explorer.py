"""Interactive explorer of one regularity: control parameter, strength and balance -> matrix, spectrum, activity.

:func:`explore` shows the figure of its initial slider values as an ordinary
image (so the static site shows a meaningful picture) and, below it, sliders
that redraw the figure live when the notebook runs in Jupyter.
"""
from __future__ import annotations

import numpy as np

from . import plotting
from ._checks import check_choice, check_int, check_real
from .constructions import REGULARITIES
from .dynamics import run
from .seeding import rng
from .weights import make_weights

__all__ = ["REGULARITIES", "explorer_figure", "explore"]


def explorer_figure(regularity: str, control: float = 0.5, strength: float = 1.5, balance: float = 0.0, *,
                    n: int = 100, steps: int = 120, seed=0):
    r"""Matrix, spectrum and free-running activity of one network.

    The network is ``make_weights(n, strength, balance, **{regularity: control}, seed=seed)``;
    it runs :math:`x(t+1) = \tanh(W x(t))` for ``steps`` steps from
    :math:`x(0) \sim U[-1, 1]^n` drawn from ``rng(seed, "explorer", "initial-state")``.
    The same seed gives the same draws for every slider value (common random numbers).

    Returns
    -------
    fig, data : as :func:`rnnlib.plotting.network_panels`, data also holding the parameters.
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
        title=f"{regularity}: ${symbol} = {control:g}$, $w = {strength:g}$, $b = {balance:g}$, $N = {W.shape[0]}$")
    data.update(regularity=regularity, control=control, strength=strength, balance=balance)
    return fig, data


def explore(regularity: str, control: float = 0.5, strength: float = 1.5, balance: float = 0.0, *,
            n: int = 100, steps: int = 120, seed=0):
    """Display the initial figure, then sliders (control, strength, balance) that redraw it live.

    Returns the ipywidgets container (already displayed).
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    fig, _ = explorer_figure(regularity, control, strength, balance, n=n, steps=steps, seed=seed)
    display(fig)
    plt.close(fig)
    sliders = {
        "control": widgets.FloatSlider(value=control, min=0.0, max=1.0, step=0.05, description=regularity),
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
