"""Small experiment declarations shared by the experiments-layer tests (not a test module)."""
from rnnlib.experiments import Experiment, Sizes

PHASE_AXES = (("balance", (-0.2, 0.0, 0.2)), ("strength", (0.5, 1.0, 2.0)), ("dale", (0.0, 1.0)))


def tiny(name="tiny", axes=PHASE_AXES, instances=2, n=20, steps=40, quantity="signatures", **fixed):
    """A signatures (or reservoir) sweep that runs in well under a second."""
    quick = Sizes(axes=axes, instances=instances, n=n, steps=steps, transient=steps)
    paper = Sizes(axes=axes, instances=instances + 1, n=n, steps=steps, transient=steps)
    return Experiment(name, quantity, "test sweep", quick, paper, fixed=fixed)


def slow(name="slow"):
    """Sixteen cells of about 0.1 s each: long enough to be killed part-way."""
    return tiny(name, axes=(("balance", (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4)), ("strength", (1.5,))),
                instances=2, n=60, steps=3000)
