FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 cotechbot
WORKDIR /src
COPY pyproject.toml README.md ./
COPY cotechbot ./cotechbot
RUN pip install . && rm -rf /src && mkdir -p /data/config && chown -R cotechbot /data

# The working directory is the volume: config/cotechbot.toml and the SQLite file cotechbot.db live there.
# Secrets (COTECHBOT_DISCOURSE_API_KEY) come from the environment.
WORKDIR /data
VOLUME ["/data"]
USER cotechbot
ENTRYPOINT ["cotechbot"]
CMD ["run"]
