# syntax=docker/dockerfile:1
# One image for every launchwatch process; the command selects it:
#   docker run IMAGE run fetcher|parser|enricher|web
#   docker run IMAGE topics create | feeds add URL... | sample-site --host 0.0.0.0 | tail TOPIC
# Settings are LAUNCHWATCH_* environment variables (docs/settings.md).

# A patched 3.11: releases before 3.11.10 carry the ipaddress and expat CVEs that the
# fetcher's address guard and feed parsing rest on (docs/dependencies.md).
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Dependencies from the lock alone, every file checked against its hash, in their own
# layer: it is rebuilt only when the lock changes. The build backend has a lock too.
COPY requirements/app.txt requirements/build.txt ./requirements/
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install --require-hashes --no-deps -r requirements/build.txt \
    && python -m venv /opt/launchwatch \
    && /opt/launchwatch/bin/pip install --require-hashes --no-deps -r requirements/app.txt
COPY pyproject.toml README.md LICENSE ./
COPY schemas ./schemas
COPY services ./services
# launchwatch itself, resolving nothing: its dependencies are all in place already.
RUN /opt/build/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /tmp/wheel . \
    && /opt/launchwatch/bin/pip install --no-deps /tmp/wheel/*.whl \
    && /opt/launchwatch/bin/pip uninstall --yes pip

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="launchwatch" \
      org.opencontainers.image.description="News feeds to structured, real-time launch alerts" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 launchwatch \
    && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin launchwatch
COPY --from=build /opt/launchwatch /opt/launchwatch
ENV PATH=/opt/launchwatch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
USER 10001:10001
WORKDIR /tmp

# /healthz of the stream service in this container: on LAUNCHWATCH_HTTP_PORT, or else on
# the default port of the service named in the command (fetcher 8081, parser 8082,
# enricher 8083). Containers running other commands set their own check or none.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; argv = open('/proc/1/cmdline', 'rb').read().decode().split('\\0'); ports = {'fetcher': '8081', 'parser': '8082', 'enricher': '8083', 'web': '8084'}; port = os.environ.get('LAUNCHWATCH_HTTP_PORT') or next(ports[a] for a in argv if a in ports); urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

ENTRYPOINT ["launchwatch"]
CMD ["--help"]
