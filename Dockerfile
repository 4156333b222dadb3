# syntax=docker/dockerfile:1

# --- build: the locked dependencies in a virtual environment --------------------------------
FROM python:3.11-slim-bookworm AS build
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir "uv==0.13.8"
WORKDIR /srv/reprise
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY templates ./templates
COPY migrations ./migrations
COPY scripts/docker-start.sh ./scripts/
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

# --- runtime: Pango for WeasyPrint, HarfBuzz subsetting, a non-root user ---------------------
FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/reprise --uid 10001 reprise
WORKDIR /srv/reprise
COPY --from=build --chown=reprise:reprise /srv/reprise /srv/reprise
ENV PATH="/srv/reprise/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    REPRISE_ENV=production \
    REPRISE_VAR_DIR=/var/lib/reprise \
    REPRISE_DATABASE_URL=sqlite:////var/lib/reprise/reprise.db \
    WORKERS=2
RUN mkdir -p /var/lib/reprise && chown reprise:reprise /var/lib/reprise
USER 10001
VOLUME ["/var/lib/reprise"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["/srv/reprise/scripts/docker-start.sh"]
