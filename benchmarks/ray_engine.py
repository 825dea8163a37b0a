"""Ray engine against the local engine of `stance score`, in one run, on the same machine.

    python -m benchmarks.ray_engine [--sentences 20000] [--model models/transformer]

1. Builds a corpus of real length (whole seed and synthetic articles, `benchmarks.corpus`).
2. Runs the real CLI in a child process each time: the local engine, then the Ray engine
   (embedded, on the usable cores) with 1 and with 2 model actors, then the local engine again
   (the two local runs bracket the Ray runs, so a machine that speeds up or slows down during
   the benchmark shows in their spread).
3. Records wall time end to end (Ray's start-up included: that is what a user waits for),
   sentences/s, and checks that every run gives the same rows and labels.

Writes reports/benchmark_ray.json. Needs a trained transformer (`dvc repro train_transformer`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from benchmarks.corpus import build_corpus
from pipeline.config import PathsConfig, SplitConfig, load_section
from pipeline.scoring.loading import usable_cores

LABEL_COLUMNS = ["article_id", "sentence_index", "stance", "claim_type"]


def run_cli(corpus: Path, output: Path, extra: list[str]) -> dict:
    """Time the real CLI in a child process; returns its rows (sorted) and rate."""
    command = [sys.executable, "-m", "pipeline.cli", "score", str(corpus), "-o", str(output),
               "--no-progress", "--overwrite", *extra]
    started = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - started
    frame = pd.read_parquet(output, columns=LABEL_COLUMNS) \
        .sort_values(["article_id", "sentence_index"]).reset_index(drop=True)
    return {"sentences": len(frame), "seconds": seconds,
            "sentences_per_second": len(frame) / seconds, "frame": frame}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--model", default=None,
                        help="model folder [paths.transformer_model of this project]")
    parser.add_argument("--output", type=Path, default=Path("reports/benchmark_ray.json"))
    args = parser.parse_args()
    paths = load_section("paths", PathsConfig)
    model = args.model or paths.transformer_model
    runs = {"local": ["--engine", "local"],
            "ray_1_actor": ["--engine", "ray", "--ray-actors", "1"],
            "ray_2_actors": ["--engine", "ray", "--ray-actors", "2"],
            "local_again": ["--engine", "local"]}
    results = {}
    with tempfile.TemporaryDirectory(prefix="stance-bench-ray-") as scratch:
        corpus = Path(scratch) / "corpus"
        stats = build_corpus(corpus, args.sentences, paths, load_section("split", SplitConfig))
        print(f"corpus: {stats.sentences} sentences in {stats.articles} articles")
        for name, extra in runs.items():
            output = Path(scratch) / (f"{name}.parquet" if name.startswith("local") else name)
            results[name] = run_cli(corpus, output, ["--model", model, *extra])
            print(f"{name}: {results[name]['sentences_per_second']:.1f} sentences/s "
                  f"({results[name]['seconds']:.1f}s)")
    reference = results["local"]["frame"]
    same_rows = {name: bool(run["frame"].equals(reference)) for name, run in results.items()}
    local_rate = (results["local"]["sentences_per_second"]
                  + results["local_again"]["sentences_per_second"]) / 2
    report = {
        "usable_cores": usable_cores(),
        "corpus": {"sentences": stats.sentences, "articles": stats.articles},
        "runs": {name: {k: v for k, v in run.items() if k != "frame"}
                 for name, run in results.items()},
        "same_rows_and_labels_as_local": same_rows,
        "ray_over_local": {name: results[name]["sentences_per_second"] / local_rate
                           for name in ("ray_1_actor", "ray_2_actors")},
        "command": " ".join(["python -m benchmarks.ray_engine", f"--sentences {args.sentences}",
                             *([f"--model {args.model}"] if args.model else [])]),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("ray_over_local", "same_rows_and_labels_as_local")},
                     indent=2))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
