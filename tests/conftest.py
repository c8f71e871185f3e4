import json
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parent / "reference"

# The generators in reference/ are scripts that need PyTorch; the suite reads the JSON they
# wrote. Collecting them (--doctest-modules imports every module) would need torch.
collect_ignore_glob = ["reference/*.py"]


@pytest.fixture(scope="session")
def torch_traces():
    return json.loads((REFERENCE / "torch_traces.json").read_text())


def load_reference(name: str):
    return json.loads((REFERENCE / name).read_text())
