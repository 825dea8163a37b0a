"""Gold and augmentation loaders: each error names the file and line."""

import json

import pandas as pd
import pytest

from pipeline.labeling.datasets import (
    LabelFileError,
    load_augment,
    load_gold,
    sentences_without_gold,
)

SENTENCES = pd.DataFrame({
    "sentence_id": ["s1", "s2", "s3"],
    "text": ["Poland opposes sending troops.", "Leaders met on Thursday.", "Read more"],
})
GOOD = {"sentence_id": "s1", "article_id": "a", "text": "Poland opposes sending troops.",
        "stance": "skeptical", "claim_type": "policy", "attributed": False}


def write_lines(path, *records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n",
                    encoding="utf-8")
    return path


def test_valid_gold_loads_and_reports_missing_sentences(tmp_path):
    gold = load_gold(write_lines(tmp_path / "gold.jsonl", GOOD), SENTENCES)
    assert gold.loc[0, "stance"] == "skeptical"
    assert not gold.loc[0, "disputed"]
    assert sentences_without_gold(SENTENCES, gold)["sentence_id"].tolist() == ["s2", "s3"]


@pytest.mark.parametrize(("second_line", "message"), [
    ("{not json", r"gold.jsonl:2: malformed JSON"),
    ({**GOOD, "sentence_id": "zz"}, r"gold.jsonl:2: unknown or stale sentence_id zz"),
    (GOOD, r"gold.jsonl:2: duplicate sentence_id s1 \(first on line 1\)"),
    ({**GOOD, "sentence_id": "s2", "text": "Leaders met on Friday."}, r"gold.jsonl:2: text does not match"),
    ({**GOOD, "sentence_id": "s2", "text": "Leaders met on Thursday.", "stance": "hopeful"},
     r"gold.jsonl:2: invalid stance 'hopeful'"),
    ({**GOOD, "sentence_id": "s3", "text": "Read more", "claim_type": "non_claim"},
     r"gold.jsonl:2: a non_claim unit must be neutral"),
    ({"sentence_id": "s2"}, r"gold.jsonl:2: missing field"),
])
def test_gold_errors_name_the_line(tmp_path, second_line, message):
    path = write_lines(tmp_path / "gold.jsonl", GOOD, second_line)
    with pytest.raises(LabelFileError, match=message):
        load_gold(path, SENTENCES)


def test_augment_loads_all_parts_and_refuses_duplicate_ids(tmp_path):
    record = {"id": "x-1", "text": "Spain offered engineers.", "stance": "optimistic",
              "claim_type": "policy", "attributed": False, "source": "synthetic"}
    write_lines(tmp_path / "a.jsonl", record)
    write_lines(tmp_path / "b.jsonl", {**record, "id": "x-2"})
    assert load_augment(tmp_path)["id"].tolist() == ["x-1", "x-2"]
    write_lines(tmp_path / "c.jsonl", record)
    with pytest.raises(LabelFileError, match=r"c.jsonl:1: duplicate id x-1"):
        load_augment(tmp_path)


def test_repository_label_files_are_valid(split_config):
    """Every committed label file loads against a fresh split of both corpora (no DVC
    outputs needed), and each gold file covers its corpus exactly."""
    from pipeline.text.corpus import split_corpora
    from tests.conftest import ROOT

    sentences, _ = split_corpora({"seed": ROOT / "data/raw/articles",
                                  "synthetic": ROOT / "data/synthetic"}, split_config,
                                 progress=False)
    for corpus, folder in (("seed", ROOT / "data/annotations"),
                           ("synthetic", ROOT / "data/annotations/synthetic")):
        units = sentences[sentences["corpus"] == corpus]
        gold = load_gold(folder / "gold.jsonl", units)
        assert sorted(gold["sentence_id"]) == sorted(units["sentence_id"])
        for annotator in ("annotator_a", "annotator_b"):
            assert len(load_gold(folder / f"{annotator}.jsonl", units)) == len(units)
    assert (sentences["corpus"] == "synthetic").sum() >= 1200
    assert sentences.loc[sentences["corpus"] == "synthetic", "article_id"].nunique() >= 80
    augment = load_augment(ROOT / "data/augment")
    assert len(augment) >= 600
    assert set(augment["source"]) == {"synthetic"}
