"""Fixtures that start a real augur-server on port 0 for the Python tests.

ctest sets AUGUR_SERVER_BIN to the server binary and puts the build tree's
augur_client package on PYTHONPATH. To run pytest by hand, set both, or
install client/python into the interpreter's venv.
"""

import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path):
    """Yield the address of an augur-server on a fresh database."""
    binary = os.environ.get("AUGUR_SERVER_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.fail(
            f"AUGUR_SERVER_BIN is {binary!r}; set it to the built augur-server "
            "binary (ctest sets it)"
        )
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--db", str(tmp_path / "augur.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            process.kill()
            pytest.fail(
                f"augur-server did not start: {line!r} {process.stderr.read()}"
            )
        yield line.split()[-1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def client(server):
    import augur_client

    with augur_client.Client(server) as client:
        yield client
