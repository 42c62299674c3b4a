"""What the Jupyter Book shows, and how it is built.

The figure style (``figstyle``), figures that return their data (``plotting``, drawing with
``plot_maps`` and ``plot_curves``), what a chapter computes and phrases beside its figures
(``chapter``), the methods appendix's tables (``appendix``), the interactive explorers
(``explorer``), numbered table captions (``tables``), the build of the site with papermill and
Jupyter Book (``build``) and its Sphinx extension (``sphinx_launch``).

Layer 6: may import every layer below.
"""
