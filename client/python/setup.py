"""Build script of the augur_client package.

The protobuf and gRPC modules are generated at build time from
proto/augur/v1/augur.proto of the augur source tree (see generate_stubs.py),
so install from a checkout:

    pip install --no-index --no-build-isolation client/python
"""

import pathlib
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_stubs  # noqa: E402


class BuildPyWithStubs(build_py):
    """build_py that also writes augur_pb2.py and augur_pb2_grpc.py."""

    def run(self):
        super().run()
        if not self.dry_run:
            generate_stubs.generate(pathlib.Path(self.build_lib) / "augur_client")


setup(
    name="augur-client",
    version="0.1.0",
    description="Python client of the augur hyperparameter-tuning service",
    packages=["augur_client"],
    python_requires=">=3.9",
    install_requires=["grpcio", "protobuf"],
    cmdclass={"build_py": BuildPyWithStubs},
)
