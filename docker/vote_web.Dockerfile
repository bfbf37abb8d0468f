# vote_web: the voting page and the JSON endpoint that queues votes.
# scripts/images.sh builds and tests all three; by hand, from the repository
# root (the docker format is the one that keeps HEALTHCHECK):
#   podman build --format docker -f docker/vote_web.Dockerfile -t voting-app/vote .
# The first two stages are identical in every Dockerfile here, so the images
# share their layers and the dependencies are installed once.

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
# Only the dependency lists, so editing the code keeps this layer cached.
COPY pyproject.toml constraints.txt ./
# Path of a CA bundle mounted for the build only; pip reads PIP_CERT itself.
ARG PIP_CERT
RUN python3 -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' \
        > requirements.txt \
    && /opt/venv/bin/pip install --no-cache-dir -c constraints.txt -r requirements.txt

FROM python
RUN useradd --uid 10001 --user-group --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# Owned by root, so the app user cannot change its own code.
COPY common ./common
COPY vote_web ./vote_web
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=5000
USER 10001:10001
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/health' % os.environ['PORT'], timeout=2)"]
CMD ["python", "-m", "vote_web"]
