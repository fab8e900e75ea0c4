"""Generate the augur.v1 protobuf and gRPC modules for the Python client.

Runs protoc with Debian's grpc_python_plugin (python3-grpcio has no
grpc_tools) and rewrites the generated absolute import into a relative one,
so that the modules live inside the augur_client package.

Usage: generate_stubs.py [--proto-root DIR] --out PACKAGE_DIR
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_PROTO_ROOT = HERE.parent.parent / "proto"
PROTO_FILE = "augur/v1/augur.proto"
GRPC_PLUGIN = "/usr/bin/grpc_python_plugin"


def find_tool(name, fallback):
    path = shutil.which(name) or fallback
    if not path or not os.path.exists(path):
        raise RuntimeError(
            f"{name} not found; install Debian's protobuf-compiler and "
            "protobuf-compiler-grpc packages"
        )
    return path


def generate(out_dir, proto_root=DEFAULT_PROTO_ROOT):
    """Write augur_pb2.py and augur_pb2_grpc.py into out_dir."""
    proto_root = pathlib.Path(os.environ.get("AUGUR_PROTO_ROOT", proto_root))
    if not (proto_root / PROTO_FILE).is_file():
        raise RuntimeError(
            f"{proto_root / PROTO_FILE} not found; build the Python client "
            "from the augur source tree or set AUGUR_PROTO_ROOT to its proto/ "
            "directory"
        )
    protoc = find_tool("protoc", "/usr/bin/protoc")
    plugin = os.environ.get("AUGUR_GRPC_PYTHON_PLUGIN", GRPC_PLUGIN)
    if not os.path.exists(plugin):
        raise RuntimeError(
            f"{plugin} not found; install Debian's protobuf-compiler-grpc "
            "package or set AUGUR_GRPC_PYTHON_PLUGIN"
        )

    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                protoc,
                f"-I{proto_root}",
                f"--python_out={scratch}",
                f"--grpc_out={scratch}",
                f"--plugin=protoc-gen-grpc={plugin}",
                PROTO_FILE,
            ],
            check=True,
        )
        generated = pathlib.Path(scratch) / "augur" / "v1"
        shutil.copy(generated / "augur_pb2.py", out_dir / "augur_pb2.py")
        grpc_text = (generated / "augur_pb2_grpc.py").read_text()

    # The plugin writes `from augur.v1 import augur_pb2 as ...`, an import of a
    # top-level `augur` package that does not exist once installed.
    grpc_text, count = re.subn(
        r"^from augur\.v1 import augur_pb2 as", "from . import augur_pb2 as",
        grpc_text, flags=re.MULTILINE,
    )
    if count != 1:
        raise RuntimeError(
            "unexpected augur_pb2_grpc.py from grpc_python_plugin: the import "
            "of augur_pb2 was not found"
        )
    (out_dir / "augur_pb2_grpc.py").write_text(grpc_text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proto-root", default=str(DEFAULT_PROTO_ROOT),
                        help="directory that holds augur/v1/augur.proto")
    parser.add_argument("--out", required=True,
                        help="directory to write the modules into")
    args = parser.parse_args()
    try:
        generate(args.out, args.proto_root)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"generate_stubs: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
