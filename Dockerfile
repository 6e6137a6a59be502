# The newsroom app under gunicorn. Built and run by docker-compose.yml.
# Python 3.11: the version the lock is compiled for and the test suite runs on.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The production lock: exact versions, each download checked against its hash.
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt

COPY . .
# Static files are collected at build time and served by whitenoise.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --home /app newsroom \
    && mkdir -p /data/media /data/originals \
    && chown -R newsroom /data

USER newsroom
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn newsroom.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 60 --access-logfile -"]
