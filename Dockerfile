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

# Static files are collected at build time, with production settings. The keys for this
# step are made at random on the spot and not kept: nothing published here is a key the app
# would accept, and it refuses to start without real ones.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    FIELD_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    CPR_HASH_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    EMAIL_HOST=build-only.invalid DEFAULT_FROM_EMAIL=build@build-only.invalid \
    python manage.py collectstatic --noinput \
 && chown -R taskforce:taskforce /app/staticfiles \
 && mkdir -p /app/var/media \
 && chown -R taskforce:taskforce /app/var

USER taskforce
EXPOSE 8000

# Bind address, workers and the access log (with invitation tokens blanked) come from
# taskforce/gunicorn_conf.py, which reads PORT and GUNICORN_WORKERS.
CMD ["gunicorn", "-c", "python:taskforce.gunicorn_conf", "taskforce.wsgi:application"]
