"""The `stance` command: a thin layer over the library (the stages call the same functions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import PARAMS_FILE, SplitConfig, load_section, write_params

app = typer.Typer(
    help="Stance and claim-type labels for news sentences about European troops for Ukraine.",
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def params(
    overrides: Annotated[
        list[str] | None, typer.Argument(help="Hydra overrides, e.g. baseline=tfidf_svm")
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="file to write")] = PARAMS_FILE,
) -> None:
    """Recompose params.yaml from configs/ (the same composition `dvc exp run` writes)."""
    write_params(output, overrides or [])
    typer.echo(f"wrote {output}")


@app.command()
def split(
    article: Annotated[
        Path, typer.Argument(help="a UTF-8 .txt article", exists=True, dir_okay=False)
    ],
) -> None:
    """Print the sentence units of one article as JSON lines, with the pipeline's own splitter."""
    from pipeline.text.articles import ArticleError, split_file

    config = load_section("split", SplitConfig)
    try:
        result = split_file(article, config)
    except ArticleError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(2) from None
    for sentence in result.sentences:
        typer.echo(json.dumps(sentence.__dict__, ensure_ascii=False))
    for dropped in result.dropped:
        typer.secho(f"dropped line {dropped['line']} ({dropped['reason']}): {dropped['text']}",
                    err=True, fg="yellow")


if __name__ == "__main__":
    app()
