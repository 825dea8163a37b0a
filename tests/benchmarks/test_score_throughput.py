"""The benchmark's two paths are a fair comparison: same sentences, same labels."""

import pandas as pd

from benchmarks.score_throughput import build_corpus, run_naive
from pipeline.models.transformer import TransformerModel
from pipeline.text.corpus import split_corpus
from tests.conftest import LABELS, TEXTS


def test_corpus_has_the_requested_sentences_as_the_splitter_sees_them(tmp_path, split_config):
    written = build_corpus(tmp_path, 300)
    sentences, _ = split_corpus(tmp_path, split_config)
    assert len(written) >= 300
    assert sorted(sentences["text"]) == sorted(written)


def test_naive_pipeline_gives_the_models_own_labels(tmp_path, tiny_transformer):
    model = tiny_transformer().fit(TEXTS, LABELS)
    model.save(tmp_path / "tiny")
    texts = [*TEXTS, "A short one.", "A much longer sentence that needs more padding " * 3]
    naive = run_naive(tmp_path / "tiny", texts)
    ours = TransformerModel.load(tmp_path / "tiny").predict_all(texts)
    assert naive["sentences"] == len(texts)
    for task in model.tasks:
        assert naive["labels"][task] == list(ours[task])
    assert pd.Series(naive["labels"]["stance"]).isin(model.classes("stance")).all()
