"""A tiny stance project in a temporary folder, and each DVC stage's `main()` run in it once.

The project is what a fresh clone holds (articles, annotations, augmentation, configs) at toy
size: three seed and four synthetic articles built from labeled sentence templates, a
params.yaml composed by `stance params` with tiny overrides (the random BERT of
tests/conftest.py as encoder, one epoch, few resamples). Every stage runs at most once per
session, in DVC's order, through session fixtures that the tests of each stage ask for.
"""

from __future__ import annotations

import json
import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import ROOT

# (template, stance, claim_type, attributed); `{c}` is the article's country, so no sentence
# repeats across articles (cross-validation drops training text identical to test text).
TEMPLATES = [
    ("{c} is prepared to send soldiers to Ukraine.", "optimistic", "policy", False),
    ("Officials in {c} warned the deployment could provoke clashes.", "skeptical",
     "prediction", True),
    ("The {c} parliament approved the plan on Thursday.", "optimistic", "fact", False),
    ("Critics in {c} called the plan a dangerous gamble.", "skeptical", "evaluation", True),
    ("Leaders from {c} will meet in Paris next week.", "neutral", "fact", False),
    ("Photo: {c} defence ministry.", "neutral", "non_claim", False),
    ("{c} opposes sending troops to Ukraine.", "skeptical", "policy", False),
]
SEED_COUNTRIES = ("France", "Poland", "Italy")
SYNTHETIC_COUNTRIES = ("Spain", "Norway", "Finland", "Sweden")
AUGMENT_COUNTRIES = ("Denmark", "Estonia")
# Annotator B reads template 2 ("approved the plan") as neutral: one stance disagreement per
# article, so agreement is high but not perfect.
DISPUTED_TEMPLATE = 2
TINY_OVERRIDES = [
    "encoder.name=tiny-random-bert", "encoder.loader=path",
    "transformer.epochs=1", "transformer.max_length=32", "transformer.batch_size=8",
    "transformer.device=cpu",
    "evaluate.n_resamples=20", "evaluate.synthetic_folds=2",
    "evaluate.learning_curve_sizes=[0,2]", "evaluate.learning_curve_repeats=1",
]


def article_text(country: str) -> str:
    """A headline, a byline, two paragraphs of template sentences and one boilerplate line
    that the splitter drops."""
    body = [template.format(c=country) for template, *_ in TEMPLATES]
    return (f"{country} and the Plan for Ukraine\n\nBy Jane Reporter\n\n"
            + " ".join(body[:4]) + "\n\nShare this article\n\n" + " ".join(body[4:]) + "\n")


def labels_of(text: str) -> tuple[int, tuple[str, str, bool]] | None:
    """The template a sentence was made from and its labels; None for headline and byline."""
    for number, (template, stance, claim_type, attributed) in enumerate(TEMPLATES):
        pattern = re.escape(template).replace(re.escape("{c}"), r"\w+")
        if re.fullmatch(pattern, text):
            return number, (stance, claim_type, attributed)
    return None


@contextmanager
def inside(folder: Path):
    """Run in `folder` (stages read params.yaml from the working directory, as under DVC),
    then restore the working directory and the root logger that `setup_logging` replaces."""
    root = logging.getLogger()
    handlers, level, before = root.handlers[:], root.level, Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)
        root.handlers[:] = handlers
        root.setLevel(level)


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def write_annotations(project: Path, sentences: pd.DataFrame) -> None:
    """Gold and two annotators per corpus; headlines and bylines stay unannotated."""
    folders = {"seed": project / "data/annotations",
               "synthetic": project / "data/annotations/synthetic"}
    for corpus, folder in folders.items():
        first, second = [], []
        for row in sentences[sentences["corpus"] == corpus].itertuples():
            found = labels_of(row.text)
            if found is None:
                continue
            number, (stance, claim_type, attributed) = found
            record = {"sentence_id": row.sentence_id, "article_id": row.article_id,
                      "text": row.text, "stance": stance, "claim_type": claim_type,
                      "attributed": attributed}
            first.append(record)
            second.append({**record, "stance": "neutral"} if number == DISPUTED_TEMPLATE
                          else record)
        write_jsonl(folder / "gold.jsonl", first)
        write_jsonl(folder / "annotator_a.jsonl", first)
        write_jsonl(folder / "annotator_b.jsonl", second)


def run_stage(project: Path, stage: str, *argv: str) -> Path:
    import importlib

    module = importlib.import_module(f"pipeline.stages.{stage}")
    with inside(project):
        module.main(*([list(argv)] if argv else []))
    return project


@pytest.fixture(scope="session")
def project(tmp_path_factory, tiny_encoder_dir) -> Path:
    """The tiny project before any stage ran: inputs and params.yaml only."""
    folder = tmp_path_factory.mktemp("project")
    for corpus, countries in (("data/raw/articles", SEED_COUNTRIES),
                              ("data/synthetic", SYNTHETIC_COUNTRIES)):
        (folder / corpus).mkdir(parents=True)
        for country in countries:
            (folder / corpus / f"{country.lower()}.txt").write_text(article_text(country),
                                                                    encoding="utf-8")
    write_jsonl(folder / "data/augment/tiny.jsonl", [
        {"id": f"aug-{country}-{number}", "text": template.format(c=country), "stance": stance,
         "claim_type": claim_type, "attributed": attributed, "source": "synthetic"}
        for country in AUGMENT_COUNTRIES
        for number, (template, stance, claim_type, attributed) in enumerate(TEMPLATES)])
    with inside(ROOT):
        result = CliRunner().invoke(app, ["params", "-o", str(folder / "params.yaml"),
                                          *TINY_OVERRIDES, f"encoder.path={tiny_encoder_dir}"])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def split_done(project) -> Path:
    run_stage(project, "split")
    write_annotations(project, pd.read_parquet(project / "data/interim/sentences.parquet"))
    return project


@pytest.fixture(scope="session")
def agreement_done(split_done) -> Path:
    return run_stage(split_done, "agreement")


@pytest.fixture(scope="session")
def label_done(split_done) -> Path:
    return run_stage(split_done, "label")


@pytest.fixture(scope="session")
def baseline_trained(label_done) -> Path:
    return run_stage(label_done, "train_baseline")


@pytest.fixture(scope="session")
def transformer_trained(label_done) -> Path:
    return run_stage(label_done, "train_transformer")


@pytest.fixture(scope="session")
def crossval_done(label_done) -> Path:
    for model in ("majority", "label_model", "baseline", "transformer"):
        run_stage(label_done, "crossval", model)
    return label_done


@pytest.fixture(scope="session")
def learning_curve_done(label_done) -> Path:
    return run_stage(label_done, "learning_curve")


@pytest.fixture(scope="session")
def evaluate_done(crossval_done, agreement_done) -> Path:
    return run_stage(crossval_done, "evaluate")
