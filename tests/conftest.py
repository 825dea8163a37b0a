"""Shared fixtures: repository paths, configs, offline hubs, and a tiny random BERT with its
tokenizer built in the test session (no download, seconds to train)."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from dataclasses import replace  # noqa: E402

from pipeline.config import (  # noqa: E402
    BaselineConfig,
    SplitConfig,
    TransformerConfig,
    compose_params,
    from_dict,
    load_params,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "articles"


@pytest.fixture(scope="session")
def params() -> dict:
    return load_params(ROOT / "params.yaml")


@pytest.fixture(scope="session")
def split_config(params) -> SplitConfig:
    return from_dict(SplitConfig, params["split"])


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """Code reads params.yaml relative to the working directory, as DVC stages do."""
    monkeypatch.chdir(ROOT)


TEXTS = [
    "Poland opposes sending troops to Ukraine.",
    "Several governments remain hesitant to commit forces.",
    "Moscow warned the deployment could provoke clashes.",
    "Britain and France are prepared to send soldiers.",
    "Twelve countries have committed troops to the force.",
    "The coalition agreed the plan on Thursday.",
    "Leaders will meet in Paris on Thursday.",
    "The force would include air and sea patrols.",
    "Security Guarantees",
    "By a staff reporter",
    "The plan marks a turning point for Europe.",
    "A larger force could deter future attacks.",
]
STANCE = ["skeptical", "skeptical", "skeptical", "optimistic", "optimistic", "optimistic",
          "neutral", "neutral", "neutral", "neutral", "optimistic", "optimistic"]
CLAIM = ["policy", "policy", "fact", "policy", "fact", "fact", "fact", "policy", "non_claim",
         "non_claim", "evaluation", "prediction"]
LABELS = {"stance": STANCE, "claim_type": CLAIM}


@pytest.fixture(scope="session")
def tiny_encoder_dir(tmp_path_factory):
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    words = sorted({w.strip(".,").lower() for text in TEXTS for w in text.split()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", *words]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    import torch

    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=37,
                        max_position_embeddings=64)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture()
def tiny_transformer_config(tiny_encoder_dir) -> TransformerConfig:
    base = from_dict(TransformerConfig, compose_params()["transformer"])
    # fp32: unit tests must give the same numbers on CPUs without native bf16 (the default
    # trains under bf16 autocast; tests/models/test_training.py covers that path).
    return replace(base, epochs=3, batch_size=4, max_length=32, learning_rate=1e-3,
                   device="cpu", train_precision="fp32")


@pytest.fixture()
def tiny_transformer(tiny_transformer_config, tiny_encoder_dir):
    """Make a fresh, unfitted fine-tuning estimator on the tiny random BERT."""
    from pipeline.models.finetune import FineTunedTransformer
    from pipeline.models.training import TrainingArguments
    from pipeline.models.transformer import TransformerModel

    def make(config: TransformerConfig | None = None, seed: int = 0):
        config = config or tiny_transformer_config
        return FineTunedTransformer(
            partial(TransformerModel.from_pretrained, config, tiny_encoder_dir, seed),
            TrainingArguments.from_config(config, seed))

    return make


@pytest.fixture()
def baseline_config() -> BaselineConfig:
    return from_dict(BaselineConfig, compose_params()["baseline"])
