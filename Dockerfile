# Task Force production image: gunicorn + whitenoise; the same image runs the Celery
# worker and beat (see docker-compose.yml).

# --- Front-end assets: DKFDS from npm -----------------------------------------------------
FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund \
 && mkdir -p static/vendor/dkfds \
 && cp -R node_modules/dkfds/dist/css node_modules/dkfds/dist/js \
          node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img \
          node_modules/dkfds/dist/LICENSE.md static/vendor/dkfds/

# --- Application ------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=0 \
    PORT=8000

RUN groupadd --system taskforce \
 && useradd --system --gid taskforce --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin taskforce

WORKDIR /app

# Python packages first (cached while pyproject.toml and constraints.txt don't change);
# runtime dependencies only, pinned by constraints.txt.
COPY pyproject.toml constraints.txt ./
COPY scripts/requirements-from-pyproject scripts/
RUN sh scripts/requirements-from-pyproject > /tmp/requirements.txt \
 && pip install -c constraints.txt -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /src/static/vendor/dkfds static/vendor/dkfds

# Static files are collected at build time. These keys and this mail server exist for this
# step only: they are not kept in the image's environment, and the app refuses to start
# without real ones.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQta2V5LTAwMzI= \
    CPR_HASH_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    EMAIL_HOST=build-only.invalid DEFAULT_FROM_EMAIL=build@build-only.invalid \
    python manage.py collectstatic --noinput \
 && chown -R taskforce:taskforce /app/staticfiles

USER taskforce
EXPOSE 8000

# Bind address, workers and the access log (with invitation tokens blanked) come from
# taskforce/gunicorn_conf.py, which reads PORT and GUNICORN_WORKERS.
CMD ["gunicorn", "-c", "python:taskforce.gunicorn_conf", "taskforce.wsgi:application"]
