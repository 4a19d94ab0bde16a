FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 cotechbot
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY cotechbot ./cotechbot
# The runtime only: no sandbox extra, no dev tools; versions pinned by the same constraints as the tests.
RUN pip install -c constraints.txt . && rm -rf /src && mkdir -p /data/config && chown -R cotechbot /data

# The working directory is the volume: config/cotechbot.toml and the SQLite file cotechbot.db live there.
# Secrets (COTECHBOT_DISCOURSE_API_KEY) come from the environment.
WORKDIR /data
VOLUME ["/data"]
USER cotechbot
# The HTTP face (webhooks, calendar feed, health, metrics) listens inside the container on 8080.
ENV COTECHBOT_HTTP_PORT=8080 COTECHBOT_HTTP_HOST=0.0.0.0
EXPOSE 8080
HEALTHCHECK --interval=60s --timeout=5s --start-period=120s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"
ENTRYPOINT ["cotechbot"]
CMD ["run"]
