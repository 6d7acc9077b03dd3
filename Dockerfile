# qbo-sim as a service: `docker build -t qbo-sim .` then `docker run -p 8080:8080 qbo-sim`
# (docs/ci.md). Every `qbo-sim serve` option is also a QBO_SIM_* variable (docs/server.md):
# `docker run -e QBO_SIM_PRESET=empty -e QBO_SIM_LOG_FORMAT=json ...`.

# Stage 1: build qbo-sim's wheel from this repository.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md requirements.lock ./
COPY qbo_sim ./qbo_sim
RUN python -m pip wheel --no-deps --wheel-dir /wheels .

# Stage 2: the image, with the wheel installed and no sources or build tools.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# requirements.lock pins every dependency to the exact version CI tests with; it is used as a
# constraints file (-c), so the image runs what the test suite ran.
COPY --from=build /src/requirements.lock /wheels/ /tmp/install/
RUN python -m pip install -c /tmp/install/requirements.lock /tmp/install/*.whl \
    && rm -rf /tmp/install

# Never run as root.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin qbo
USER qbo
WORKDIR /home/qbo

# Inside the container bind every interface (the CLI's own default stays 127.0.0.1).
# The control plane answers to loopback and the service alias `qbo-sim` (docs/server.md);
# add another alias with -e QBO_SIM_ALLOWED_HOSTS=name.
ENV QBO_SIM_HOST=0.0.0.0 \
    QBO_SIM_PORT=8080 \
    QBO_SIM_ALLOWED_HOSTS=qbo-sim
EXPOSE 8080

# Healthy once the start-up company exists ("ready" in /_sim/health). slim has no curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import json, os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('QBO_SIM_PORT', '8080') + '/_sim/health', timeout=2); sys.exit(0 if json.load(r)['ready'] else 1)"]

# Exec form: qbo-sim is PID 1 and gets SIGTERM from `docker stop` (it stops cleanly).
CMD ["qbo-sim", "serve"]
