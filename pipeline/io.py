"""Small file helpers shared by stages: JSON reports and parquet tables, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_path(target: Path) -> Path:
    """A temporary path beside `target`, so a rename onto it is atomic on one filesystem."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    return Path(name)


def write_json(path: Path | str, data: Any) -> None:
    path = Path(path)
    tmp = atomic_path(path)
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=json_default) + "\n",
                   encoding="utf-8")
    tmp.replace(path)


def write_parquet(path: Path | str, frame: pd.DataFrame) -> None:
    path = Path(path)
    tmp = atomic_path(path)
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def read_json(path: Path | str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def json_default(value: Any) -> Any:
    """The one JSON fallback (`json.dumps(..., default=json_default)`): numpy scalars and
    arrays become plain numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot serialize {type(value).__name__}")
