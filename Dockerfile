# The application image: one process runs the bot, the web server, the scheduler and the
# in-process transcription pool. PyAV's wheels carry their own FFmpeg libraries.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DIEMCAU_DATA_DIR=/data

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
RUN pip install --no-cache-dir .

VOLUME /data
EXPOSE 8080
CMD ["sh", "-c", "diemcau db upgrade && diemcau run"]
