"""The paper's claims and the rules that judge them.

The verdict vocabulary and its sentences and tables (``verdicts``), the scorecard of claims C0 to
C4 (``scorecard``), the authors' earlier boundary claims C5 and C6 (``boundaries``), their
follow-up's C7 and C8 (``protection``) and the one-line-per-claim summary a reader sees first
(``summary``).

Layer 5: may import every layer below (model, statistics, reservoir, pipeline).
"""
