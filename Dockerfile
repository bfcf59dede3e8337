# Switchboard: the same steps as the README's first command, in an image.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY main.py settings.py ./
COPY domain ./domain
COPY storage ./storage
COPY ui ./ui
COPY edges ./edges
COPY api ./api
COPY channels ./channels
# Every library at the version and hash the lock gives, then the app itself without resolving again.
RUN pip install --no-cache-dir -r requirements.lock && pip install --no-cache-dir --no-deps .

ENV DATA_DIR=/data HOST=0.0.0.0 PORT=8080
VOLUME /data
EXPOSE 8080
CMD ["python", "main.py"]
