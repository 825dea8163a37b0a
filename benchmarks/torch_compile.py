"""Does `torch.compile` pay for scoring on CPU? Eager, compiled and traced, in one run.

    python -m benchmarks.torch_compile [--sentences 3000]

Takes real-length sentences from the seed and synthetic articles (`benchmarks.corpus`), and
times the trained transformer's `predict_proba_all` on them in fp32 and bf16: eager torch,
`torch.compile(dynamic=True)` (its first batch, which compiles, timed apart), and the
torchscript runtime that `stance score` uses by default. Writes
reports/benchmark_compile.json. About two minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
import warnings
from pathlib import Path

import torch

from pipeline.config import PathsConfig, SplitConfig, load_section
from pipeline.models import load_model
from pipeline.models.runtime import InferenceOptions
from pipeline.models.torchscript_engine import TracedTransformer
from pipeline.text.articles import split_file
from pipeline.text.corpus import list_article_files


def real_length_sentences(paths: PathsConfig, split: SplitConfig, limit: int) -> list[str]:
    """`limit` sentence units of the seed and synthetic articles, repeated as needed."""
    texts = []
    for folder in (paths.raw_articles, paths.synthetic_articles):
        files, _ = list_article_files(Path(folder))
        texts += [unit.text for path in files for unit in split_file(path, split).sentences]
    random.Random(0).shuffle(texts)
    return (texts * (limit // len(texts) + 1))[:limit]


def timed(model, texts: list[str], options: InferenceOptions) -> dict:
    """The first batch (where compilation happens) and then the whole list, timed apart."""
    started = time.perf_counter()
    model.predict_proba_all(texts[:options.batch_size], options)
    first = time.perf_counter() - started
    started = time.perf_counter()
    model.predict_proba_all(texts, options)
    seconds = time.perf_counter() - started
    return {"first_batch_seconds": first, "sentences_per_second": len(texts) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--output", type=Path, default=Path("reports/benchmark_compile.json"))
    args = parser.parse_args()
    paths = load_section("paths", PathsConfig)
    texts = real_length_sentences(paths, load_section("split", SplitConfig), args.sentences)
    folder = Path(paths.transformer_model)
    eager = load_model(folder)
    traced = TracedTransformer.load(folder)
    result: dict = {"sentences": len(texts), "load_average_at_start": os.getloadavg(),
                    "torch": torch.__version__, "runs": {}}
    for precision in ("fp32", "bf16"):
        options = InferenceOptions(batch_size=64, precision=precision)
        result["runs"][f"eager_{precision}"] = timed(eager, texts, options)
        result["runs"][f"torchscript_{precision}"] = timed(
            traced, texts, InferenceOptions(64, precision, "torchscript"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eager.network = torch.compile(eager.network, dynamic=True)
        for precision in ("fp32", "bf16"):
            result["runs"][f"compiled_{precision}"] = timed(
                eager, texts, InferenceOptions(batch_size=64, precision=precision))
    result["load_average_at_end"] = os.getloadavg()
    for name, run in result["runs"].items():
        print(f"{name:<18} {run['sentences_per_second']:7.0f} sentences/s, first batch "
              f"{run['first_batch_seconds']:.1f} s")
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
