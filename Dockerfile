# Multi-stage build: the SPA with Node, the server with Rust, then a slim runtime image holding
# the binary and the built SPA.
FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM rust:1-bookworm AS server
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY .cargo .cargo
COPY src src
COPY migrations migrations
COPY tests tests
COPY benches benches
RUN cargo build --release --locked --bin skillmark

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app skillmark
WORKDIR /app
COPY --from=server /src/target/release/skillmark /usr/local/bin/skillmark
COPY --from=web /src/frontend/dist /app/frontend/dist
ENV SKILLMARK_ADDR=0.0.0.0:8080 \
    SKILLMARK_DATA_DIR=/app/data \
    SKILLMARK_FRONTEND_DIR=/app/frontend/dist \
    SKILLMARK_LOG_FORMAT=json
USER skillmark
RUN mkdir -p /app/data
VOLUME ["/app/data"]
EXPOSE 8080
ENTRYPOINT ["skillmark"]
CMD ["serve"]
