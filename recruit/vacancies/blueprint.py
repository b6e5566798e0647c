"""The vacancies blueprint and what its page modules share: the form's data
as a service takes it, and the stage words and helpers every pipeline
template reads. The pages are in views.py (job-description templates and
vacancies), candidate_views.py (the pipeline and candidates) and
import_views.py (uploads); all of them add their routes to this one
blueprint, so every endpoint is "vacancies.<function>"."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, g, get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup

from recruit.vacancies.labels import STAGE_MOVE_LABELS
from recruit.vacancies.messages import field_label, row_reason
from recruit.vacancies.pipeline import ALL_STAGES, STAGES, next_stage, stage_moves
from recruit.web import kept_markup

bp = Blueprint("vacancies", __name__)

STAGE_LABELS = STAGE_MOVE_LABELS  # the stages and "reopen" (recruit/vacancies/labels.py)


def form_data(form) -> dict:
    data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "submit")}
    for key, value in list(data.items()):
        if isinstance(value, Decimal):
            data[key] = float(value)
        elif isinstance(value, str):
            data[key] = value.strip()
    return data


class _TranslatedLabels(dict):
    """STAGE_LABELS for templates, translated once per request instead of once
    per row (a pipeline page shows hundreds of them)."""

    def translated(self) -> dict[str, str]:
        """A plain dict for templates that look labels up per row."""
        if "stage_labels" not in g:
            g.stage_labels = {key: str(label) for key, label in STAGE_LABELS.items()}
        return g.stage_labels

    def __getitem__(self, key):
        return self.translated()[key]

    def get(self, key, default=None):
        return self.translated().get(key, default)


def stage_controls() -> dict[str, Markup]:
    """Each stage's part of a move control (the stages it may move to, the
    next one chosen), in the reader's language: the same for every row and
    reader, so written once per process and language (templates/vacancies/_stage_control.html)."""
    def write() -> dict[str, Markup]:
        control = get_template_attribute("vacancies/_stage_control.html", "stage_control")
        labels = STAGE_LABELS_FOR_TEMPLATES.translated()
        return {stage: control(moves, next_stage(stage), labels)
                for stage in ALL_STAGES if (moves := stage_moves(stage))}
    return kept_markup("recruit_stage_controls", (str(get_locale()), request.script_root), write)


STAGE_LABELS_FOR_TEMPLATES = _TranslatedLabels()


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(STAGE_LABELS=STAGE_LABELS_FOR_TEMPLATES, STAGES=STAGES,
                                       ALL_STAGES=ALL_STAGES, next_stage=next_stage, row_reason=row_reason,
                                       field_label=field_label, stage_controls=stage_controls)
