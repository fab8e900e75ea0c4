# syntax=docker/dockerfile:1
# A trial image for examples/digits: Debian's Python with scikit-learn, the
# augur Python client and train.py. Build from the repository root:
#   docker build -f deploy/digits-trainer.Dockerfile -t augur-digits:0.1.0 .

# The client's protobuf and gRPC modules are generated with Debian's protoc
# and grpc_python_plugin, so they match the runtime's python3-protobuf.
FROM debian:bookworm AS client
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-pip python3-setuptools python3-grpcio python3-protobuf \
      protobuf-compiler protobuf-compiler-grpc \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY proto proto
COPY client/python client/python
RUN python3 -m pip install --no-index --no-build-isolation --no-deps \
      --target /opt/augur-client client/python

FROM debian:bookworm-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-grpcio python3-protobuf python3-numpy python3-sklearn \
 && rm -rf /var/lib/apt/lists/*
COPY --from=client /opt/augur-client /opt/augur-client
COPY examples/digits/train.py /app/train.py
ENV PYTHONPATH=/opt/augur-client PYTHONUNBUFFERED=1
RUN groupadd --system --gid 65532 trainer \
 && useradd --system --uid 65532 --gid trainer --home-dir /app trainer
USER 65532:65532
WORKDIR /app
