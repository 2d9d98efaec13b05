# Production image: gunicorn for the web, the same image for the Celery worker and beat.

FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/var/lib/portal
# WeasyPrint needs Pango for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The runtime lock only: no test, benchmark or lint tools in production.
COPY requirements.txt .
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
COPY --from=assets /app/node_modules/govuk-frontend/dist /app/node_modules/govuk-frontend/dist
COPY --from=assets /app/static/build /app/static/build
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input \
    && useradd --system --home /app portal && mkdir -p /var/lib/portal && chown -R portal /var/lib/portal
USER portal
EXPOSE 8000
CMD ["gunicorn", "schoolimprovement.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
