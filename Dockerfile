# Production image: gunicorn serves the app, WhiteNoise the static files.
# The same image runs the Celery worker and beat (see docker-compose.yml).

# --- front-end packages from the npm registry -------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- application ---------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango; fonts for PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz0b libfontconfig1 fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt .

COPY --chown=app:app . .
COPY --from=assets --chown=app:app /build/node_modules ./node_modules
RUN python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /app/media && chown -R app:app /app/media /app/staticfiles

USER app
EXPOSE 8000
# Workers, timeouts, restarts and the garbage collector's start-up freeze:
# config/gunicorn.conf.py (GUNICORN_WORKERS etc. override them).
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
