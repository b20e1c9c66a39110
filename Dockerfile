# The API and the worker (one image). Build: docker build -t ocop-inspect-api .
FROM python:3.11-slim AS api
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 OCOP_ALEMBIC_INI=/app/alembic.ini
# The image is for production: the server refuses to start without a real SECRET_KEY (OCOP_ENV=development to try)
ENV OCOP_ENV=production
WORKDIR /app
# pg_dump/pg_restore for `ocop db backup|restore`; LibreOffice Writer (headless) for the documents as PDF, with
# Liberation Serif, Times New Roman's metric twin with the Vietnamese letters (version 2: fonts-liberation2 on
# bookworm, fonts-liberation itself later), so that a page breaks its lines where Word does. Without it (smaller):
# docker build --build-arg WITH_LIBREOFFICE=false … (the PDF routes then answer 409 pdf_unavailable)
ARG WITH_LIBREOFFICE=true
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && if [ "$WITH_LIBREOFFICE" = "true" ]; then \
         apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation \
         && { apt-get install -y --no-install-recommends fonts-liberation2 || true; } \
         && fc-list ':charset=1ea1' family | grep -q "Liberation Serif" \
         && soffice --version; fi \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md alembic.ini ./
COPY backend ./backend
COPY alembic ./alembic
RUN pip install --disable-pip-version-check . && useradd --system --uid 10001 ocop \
    && mkdir -p /app/var/files && chown -R ocop /app/var
USER ocop
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "ocop db upgrade && ocop serve --host 0.0.0.0 --port 8000 --workers 0"]
