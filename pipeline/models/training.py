"""The training loop of the joint fine-tuning strategy (the model owns inference, this owns
training)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn
from tqdm import tqdm
from transformers import get_linear_schedule_with_warmup

from pipeline.models.encoder import length_sorted_batches, seed_everything
from pipeline.models.runtime import InferenceOptions

log = logging.getLogger(__name__)


def class_weights(indices: np.ndarray, n_classes: int) -> torch.Tensor:
    """Inverse-frequency weights (n / (k * count)); a class absent from training gets 1."""
    counts = np.bincount(indices, minlength=n_classes).astype(float)
    weights = np.where(counts > 0, len(indices) / (n_classes * np.maximum(counts, 1)), 1.0)
    return torch.tensor(weights, dtype=torch.float32)


def shuffled_length_batches(lengths: np.ndarray, batch_size: int,
                            generator: torch.Generator, pool: int = 32) -> list[np.ndarray]:
    """Random batches of similar-length sentences: shuffle, sort within pools of `pool`
    batches by length, cut into batches, shuffle the batch order. Less padding, so each step
    is cheaper, while every epoch still sees a new order."""
    order = torch.randperm(len(lengths), generator=generator).numpy()
    batches = []
    for start in range(0, len(order), batch_size * pool):
        chunk = order[start:start + batch_size * pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    shuffle = torch.randperm(len(batches), generator=generator).numpy()
    return [batches[i] for i in shuffle]


@torch.inference_mode()
def embed_all(model, texts: Sequence[str]) -> torch.Tensor:
    """Pooled encoder vectors of every text, in order, with the encoder in eval mode."""
    model.network.encoder.eval()
    out = torch.zeros(len(texts), model.network.encoder.config.hidden_size, device=model.device)
    for index in length_sorted_batches(texts, InferenceOptions().batch_size):
        out[torch.as_tensor(index)] = model.network.embed(
            **model.encode_batch([texts[i] for i in index])).float()
    return out.clone()  # a normal tensor, usable outside inference mode


def distillation_loss(logits: torch.Tensor, teacher_proba: torch.Tensor,
                      temperature: float) -> torch.Tensor:
    """KL(teacher || student) at `temperature` (Hinton et al.), scaled by T^2 so its gradient
    keeps the size of the hard-label loss's as T changes."""
    teacher = torch.softmax(torch.log(teacher_proba.clamp(min=1e-8)) / temperature, dim=-1)
    student = torch.log_softmax(logits / temperature, dim=-1)
    return nn.functional.kl_div(student, teacher, reduction="batchmean") * temperature ** 2


def train_multitask(model, texts: Sequence[str], labels: dict[str, Sequence[str]],
                    on_step: Callable[[dict], None] | None = None,
                    soft_targets: dict[str, np.ndarray] | None = None,
                    hard_weight: float = 1.0, temperature: float = 1.0) -> list[float]:
    """Fine-tune `model.network` on both tasks at once; returns the mean loss of each epoch.

    Loss is the sum over tasks of (optionally class-weighted) cross-entropy. With
    `soft_targets` (a teacher's class probabilities per task, rows as `texts`), each task's
    loss is `hard_weight` * cross-entropy + (1 - `hard_weight`) * the distillation loss.
    Shuffling,
    dropout and head initialisation are seeded from `model.seed`, so the same params give
    the same weights on CPU.
    """
    config = model.config
    seed_everything(model.seed)
    network = model.network.to(model.device).train()
    # A frozen encoder gives the same pooled vector every epoch: compute it once, then train
    # only the heads on the cached vectors (a stronger encoder then costs one forward pass).
    cached = embed_all(model, texts) if config.freeze_encoder else None
    trained = network.heads if config.freeze_encoder else network
    targets = {task: np.array([list(model.classes(task)).index(v) for v in labels[task]])
               for task in model.tasks}
    losses = {
        task: nn.CrossEntropyLoss(
            weight=(class_weights(y, len(model.classes(task))) if config.class_weighting
                    else None)
        ).to(model.device)
        for task, y in targets.items()
    }
    steps_per_epoch = int(np.ceil(len(texts) / config.batch_size))
    total_steps = steps_per_epoch * config.epochs
    # Fresh heads learn at their own, higher rate: at the encoder's rate they barely move in
    # the few hundred steps a small data set gives.
    groups = [{"params": network.heads.parameters(), "lr": config.head_learning_rate}]
    if not config.freeze_encoder:
        groups.append({"params": network.encoder.parameters(), "lr": config.learning_rate})
    optimizer = torch.optim.AdamW(groups, weight_decay=config.weight_decay)
    schedule = get_linear_schedule_with_warmup(
        optimizer, int(config.warmup_ratio * total_steps), total_steps)
    generator = torch.Generator().manual_seed(model.seed)
    epoch_losses: list[float] = []
    step = 0
    progress = tqdm(total=total_steps, desc="train", unit="step")
    lengths = np.array([len(text) for text in texts])
    for epoch in range(1, config.epochs + 1):
        running = []
        for index in shuffled_length_batches(lengths, config.batch_size, generator):
            if cached is None:
                logits = network(**model.encode_batch([texts[i] for i in index]))
            else:
                logits = network.classify(cached[torch.as_tensor(index)])
            loss = sum(
                hard_weight * losses[task](logits[task], torch.as_tensor(
                    targets[task][index], device=model.device))
                for task in model.tasks
            )
            if soft_targets is not None:
                loss = loss + (1 - hard_weight) * sum(
                    distillation_loss(logits[task], torch.as_tensor(
                        soft_targets[task][index], dtype=torch.float32, device=model.device),
                        temperature)
                    for task in model.tasks)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            running.append(loss.item())
            progress.update(1)
            progress.set_postfix(epoch=epoch, loss=f"{running[-1]:.4f}")
            if on_step is not None:
                on_step({"epoch": epoch, "step": step, "loss": running[-1],
                         "learning_rate": schedule.get_last_lr()[0]})
        epoch_losses.append(float(np.mean(running)))
        log.info("epoch %d/%d: mean loss %.4f", epoch, config.epochs, epoch_losses[-1])
    progress.close()
    network.eval()
    return epoch_losses
