"""Registers stance's config schema with Hydra wherever Hydra composes `configs/`.

Hydra imports every module under the `hydra_plugins` namespace when it starts, and
`dvc exp run` puts the repository root on the import path first (its `hydra.plugins_path`,
the root by default). So `dvc exp run -S transformer.epochs=six` is checked against the same
dataclasses as `stance params`, and fails at compose time naming the key.
"""

from pipeline.config import register_schemas

register_schemas()
