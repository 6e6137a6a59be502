# The newsroom app under gunicorn (target `app`), and the nginx in front of it
# with the collected static files baked in (target `web`). Built and run by
# docker-compose.yml.
# Python 3.11: the version the lock is compiled for and the test suite runs on.
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The production lock: exact versions, each download checked against its hash.
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt

COPY . .
# Static files are collected at build time and served by whitenoise (and, in
# docker-compose.yml, by nginx from the `web` image, which copies them).
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --home /app newsroom \
    && mkdir -p /data/media /data/originals \
    && chown -R newsroom /data

USER newsroom
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn newsroom.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 60 --access-logfile -"]

# nginx 1.28 (stable): `server … resolve` in an upstream re-resolves the app's
# service name, so every replica that `--scale app=N` starts gets requests.
FROM nginx:1.28-alpine AS web
COPY --from=app /app/staticfiles /srv/static
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
