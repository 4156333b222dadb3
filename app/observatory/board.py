"""What the observatory's templates need: the figures, the words for them, the chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.observatory.chart import Chart, bar_chart
from app.observatory.figures import THRESHOLD, Figures
from app.observatory.labels import RIGHT_LABELS, SHARE_LABELS


@dataclass(frozen=True)
class Board:
    figures: Figures
    right_labels: dict[str, str] = field(default_factory=lambda: RIGHT_LABELS)
    share_labels: dict[str, str] = field(default_factory=lambda: SHARE_LABELS)
    threshold: int = THRESHOLD

    def chart(self, rows: Sequence[tuple[str, int]]) -> Chart:
        return bar_chart(rows)
