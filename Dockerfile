# The application image: `diemcau run` (bot, web, scheduler), `diemcau worker` (transcription
# jobs) and the one-shot commands (db upgrade, seed, backup) all run from it. PyAV's wheels
# carry their own FFmpeg libraries. Debian 13's postgresql-client (17) is there for
# `diemcau backup` (pg_dump must be as new as the server, postgres:16 in compose).
FROM python:3.11-slim-trixie

# CUDA=1 (docker-compose.cuda.yml) adds NVIDIA's cuBLAS and cuDNN 9 wheels, which
# CTranslate2 loads to transcribe on a GPU; the CPU image stays without them.
ARG CUDA=""

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DIEMCAU_DATA_DIR=/data \
    LD_LIBRARY_PATH=/usr/local/lib/python3.11/site-packages/nvidia/cublas/lib:/usr/local/lib/python3.11/site-packages/nvidia/cudnn/lib

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY diemcau ./diemcau
COPY storage ./storage
COPY minutes ./minutes
COPY transcribe ./transcribe
COPY bot ./bot
COPY web ./web
COPY vnadmin ./vnadmin
COPY examples ./examples
RUN pip install --no-cache-dir . \
    && if [ -n "$CUDA" ]; then pip install --no-cache-dir nvidia-cublas-cu12 "nvidia-cudnn-cu12>=9,<10"; fi

VOLUME /data
EXPOSE 8080
CMD ["sh", "-c", "diemcau db upgrade && diemcau run"]
