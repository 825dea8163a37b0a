"""Could blingfire replace pySBD as the default splitter? Unit agreement and speed on the seed and
synthetic articles.

    python -m benchmarks.split_agreement [--output reports/benchmark_split.json]

Splits every seed and synthetic article with the project's split config twice, once per engine
(everything else equal), and counts the pySBD units that blingfire finds with the same
character offsets. Issue 12 allows blingfire as the default only at >= 99% agreement; below
that, switching would change the gold units, and scoring overlaps splitting with inference
instead (`pipeline/scoring/prefetch.py`).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from pipeline.config import PathsConfig, SplitConfig, load_section
from pipeline.text.articles import split_file
from pipeline.text.corpus import list_article_files

REQUIRED_AGREEMENT = 0.99


def unit_offsets(paths: list[Path], config: SplitConfig) -> tuple[list[set], float]:
    """Per article the set of (start, end) unit offsets, and the seconds splitting took."""
    started = time.perf_counter()
    units = [{(s.start, s.end) for s in split_file(path, config,
                                                   keep_repeated_sentences=True).sentences}
             for path in paths]
    return units, time.perf_counter() - started


def agreement(reference: list[set], other: list[set]) -> dict:
    """Share of reference units found identically, and of the union (Jaccard)."""
    same = sum(len(a & b) for a, b in zip(reference, other, strict=True))
    total = sum(len(a) for a in reference)
    union = sum(len(a | b) for a, b in zip(reference, other, strict=True))
    return {"pysbd_units": total, "blingfire_units": sum(len(b) for b in other),
            "identical_units": same, "share_of_pysbd_units": same / total,
            "jaccard": same / union,
            "articles_identical": sum(a == b for a, b in zip(reference, other, strict=True))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=Path("reports/benchmark_split.json"))
    args = parser.parse_args()
    paths = load_section("paths", PathsConfig)
    split = load_section("split", SplitConfig)
    result = {}
    for corpus, folder in (("seed", paths.raw_articles), ("synthetic", paths.synthetic_articles)):
        files, _ = list_article_files(Path(folder))
        pysbd, pysbd_seconds = unit_offsets(files, replace(split, engine="pysbd"))
        blingfire, blingfire_seconds = unit_offsets(files, replace(split, engine="blingfire"))
        result[corpus] = {"articles": len(files), **agreement(pysbd, blingfire),
                          "pysbd_units_per_second": sum(map(len, pysbd)) / pysbd_seconds,
                          "blingfire_units_per_second":
                              sum(map(len, blingfire)) / blingfire_seconds}
        row = result[corpus]
        print(f"{corpus}: {row['articles']} articles, {row['pysbd_units']} pySBD units, "
              f"{row['share_of_pysbd_units']:.1%} found identically by blingfire "
              f"({row['articles_identical']} articles identical); pySBD "
              f"{row['pysbd_units_per_second']:.0f} units/s, blingfire "
              f"{row['blingfire_units_per_second']:.0f} units/s")
    all_units = sum(result[c]["pysbd_units"] for c in ("seed", "synthetic"))
    same = sum(result[c]["identical_units"] for c in ("seed", "synthetic"))
    result["overall_share_of_pysbd_units"] = same / all_units
    result["blingfire_may_be_default"] = same / all_units >= REQUIRED_AGREEMENT
    print(f"overall: {same / all_units:.1%} of {all_units} pySBD units identical; blingfire "
          f"{'may' if result['blingfire_may_be_default'] else 'may not'} become the default "
          f"(needs {REQUIRED_AGREEMENT:.0%})")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
