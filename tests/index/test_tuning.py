import json

import pytest

from ros1qa.errors import ModelUnavailable
from ros1qa.index.tuning import ADAPTER_FILES, TUNING_DIR, base_model, tuning_digest
from ros1qa.settings import BUNDLED_MODEL, TUNED_MODEL


def test_the_tuned_model_starts_from_the_bundled_one_and_other_models_from_themselves():
    assert base_model(TUNED_MODEL) == BUNDLED_MODEL
    assert base_model(BUNDLED_MODEL) == BUNDLED_MODEL and base_model("/my/model") == "/my/model"


def test_a_missing_adapter_names_the_command_that_learns_it(tmp_path):
    (tmp_path / ADAPTER_FILES[0]).write_text("{}", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="ros1qa tune"):
        tuning_digest(tmp_path)


def test_the_shipped_adapter_names_the_bundled_model_and_its_digest_follows_its_files(tmp_path):
    config = json.loads((TUNING_DIR / ADAPTER_FILES[0]).read_text(encoding="utf-8"))
    assert config["base_model_name_or_path"] == BUNDLED_MODEL and config["peft_type"] == "LORA"
    for name in ADAPTER_FILES:
        (tmp_path / name).write_bytes((TUNING_DIR / name).read_bytes())
    assert tuning_digest(tmp_path) == tuning_digest()
    (tmp_path / ADAPTER_FILES[1]).write_bytes(b"changed")
    assert tuning_digest(tmp_path) != tuning_digest()
