import json
from pathlib import Path

import pytest

REFERENCE = Path(__file__).parent / "reference"


@pytest.fixture(scope="session")
def torch_traces():
    return json.loads((REFERENCE / "torch_traces.json").read_text())


def load_reference(name: str):
    return json.loads((REFERENCE / name).read_text())
