"""Process-wide settings that must be in place before faiss or torch start their thread pools."""

from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def prepare_process() -> None:
    """Limit OpenMP/BLAS threads and keep Hugging Face libraries offline and quiet.

    OpenMP reads ``OMP_NUM_THREADS`` when a thread pool starts, and every new thread (Streamlit
    runs each session in one) starts from it, so it is set here, before faiss or torch load.
    On two cores one thread per search avoids oversubscription (≈400 ms → ≈14 ms per question).
    (The model's own encodes may use every core: ``embedding.model_threads``.) Values already set by
    the operator win.
    """
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # ONNX Runtime's telemetry otherwise writes a device id and an event store under ~/.cache and TMPDIR
    # on import (tests/test_privacy.py caught it); read once, when onnxruntime loads.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


def keep_model_offline() -> None:
    """No request to a model hub: used when the model is a local folder."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
