"""Incremental, atomic table writers: rows go to a temporary file beside the target, which is
renamed onto it only when everything was written. An interrupted run leaves no OUTPUT."""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType

import pandas as pd

from pipeline.io import atomic_path, json_default

FORMATS = ("csv", "jsonl", "parquet")


class OutputExistsError(FileExistsError):
    pass


def infer_format(path: Path, default: str) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


class AtomicTableWriter:
    def __init__(self, target: Path, fmt: str, overwrite: bool = False):
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r} (use one of {FORMATS})")
        if target.exists() and not overwrite:
            raise OutputExistsError(f"{target} exists; pass --overwrite to replace it")
        self.target = target
        self.format = fmt
        self.tmp = atomic_path(target)
        self.rows = 0
        self._parquet = None
        self._handle = None if fmt == "parquet" else open(self.tmp, "w", encoding="utf-8",
                                                          newline="")

    def write(self, frame: pd.DataFrame) -> None:
        if self.format == "csv":
            frame.to_csv(self._handle, index=False, header=self.rows == 0)
        elif self.format == "jsonl":
            for record in frame.to_dict(orient="records"):
                line = json.dumps(record, ensure_ascii=False, default=json_default)
                self._handle.write(line + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.tmp, table.schema)
            self._parquet.write_table(table)
        self.rows += len(frame)

    def commit(self) -> None:
        self._close()
        self.tmp.replace(self.target)

    def abort(self) -> None:
        self._close()
        self.tmp.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None

    def __enter__(self) -> AtomicTableWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()
