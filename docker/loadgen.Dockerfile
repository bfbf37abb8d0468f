# Load generator: the Locust scenarios of load-tests/ in an image of their
# own, for compose's "load" profile. Same base and stages as the app images.
#   podman build --format docker -f docker/loadgen.Dockerfile -t voting-app/loadgen .

FROM debian:bookworm-slim AS python
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*

FROM python AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/venv
WORKDIR /src
COPY constraints.txt ./
# Path of a CA bundle mounted for the build only; pip reads PIP_CERT itself.
ARG PIP_CERT
RUN /opt/venv/bin/pip install --no-cache-dir -c constraints.txt locust

FROM python
RUN useradd --uid 10001 --user-group --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY load-tests/locustfile.py ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LOCUST_LOCUSTFILE=/app/locustfile.py \
    LOCUST_HEADLESS=true \
    LOCUST_ONLY_SUMMARY=true \
    LOCUST_HOST=http://proxy:5000 \
    LOCUST_USERS=10 \
    LOCUST_SPAWN_RATE=5 \
    LOCUST_RUN_TIME=2m
USER 10001:10001
# A run ends by itself, so there is no service to health-check.
HEALTHCHECK NONE
CMD ["locust", "--exit-code-on-error", "1"]
