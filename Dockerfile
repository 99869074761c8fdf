# One image for every Zorgketen process; the Helm chart (charts/zorgketen) chooses the command:
#   python -m <service> serve | migrate      (indicatie, toewijzing, declaratie, berichten, rapportage)
#   python -m edge                           (portal and partner API)
# Runs as an unprivileged user on a read-only root filesystem (only /tmp is writable, an emptyDir in the chart).
# The build stage has gcc and the Python headers for the Cython module (berichten.codec._decode).
FROM python:3.11-bookworm AS build
WORKDIR /app
COPY requirements.lock ./
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.lock
COPY proto ./proto
RUN mkdir -p build/gen \
 && /opt/venv/bin/python -m grpc_tools.protoc -I proto --python_out=build/gen --grpc_python_out=build/gen $(find proto -name '*.proto' | sort)
COPY services ./services
COPY scripts/build_ext.py ./scripts/build_ext.py
# local tooling and tests are not deployed (see .dockerignore); compile now, since the root filesystem is read-only
RUN /opt/venv/bin/python scripts/build_ext.py \
 && /opt/venv/bin/python -m compileall -q services build/gen

FROM python:3.11-slim-bookworm
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin zorgketen
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/services /app/services
COPY --from=build /app/build/gen /app/build/gen
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/services:/app/build/gen \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ZK_ENV=production
WORKDIR /app
USER 10001:10001
