# Switchboard: the same steps as the README's first command, in an image.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY main.py settings.py ./
COPY domain ./domain
COPY storage ./storage
COPY ui ./ui
COPY edges ./edges
COPY api ./api
COPY channels ./channels
RUN pip install --no-cache-dir .

ENV DATA_DIR=/data HOST=0.0.0.0 PORT=8080
VOLUME /data
EXPOSE 8080
CMD ["python", "main.py"]
