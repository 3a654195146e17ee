from pathlib import Path

from ros1qa.settings import BUNDLED_MODEL, settings_from_env


def test_environment_overrides_defaults_relative_to_root(tmp_path):
    settings = settings_from_env({"ROS1QA_INDEX": "elsewhere", "ROS1QA_BACKEND": "onnx"}, tmp_path)
    assert settings.index_dir == tmp_path / "elsewhere" and settings.corpus_dir == tmp_path / "corpus"
    assert settings.backend == "onnx" and settings.model == BUNDLED_MODEL
    assert settings_from_env({"ROS1QA_INDEX": "/abs/index"}, tmp_path).index_dir == Path("/abs/index")
