# Clientele in a container, for machines without Debian's package:
#   docker build -t clientele .
#   docker run -d --name clientele -p 8080:8080 -v clientele:/var/lib/clientele clientele
#   docker exec -i clientele clientele user add owner --role owner   # the password on stdin
# The SQLite file and the daily backups live in the volume; point
# CLIENTELE_DATABASE_URL at PostgreSQL for a chain. `docker stop` sends
# SIGTERM: the receipts under way finish before the server stops.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p clientele-cli \
    && strip target/release/clientele

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/clientele --create-home clientele
COPY --from=build /src/target/release/clientele /usr/bin/clientele
COPY packaging/clientele.toml /etc/clientele/clientele.toml
USER clientele
WORKDIR /var/lib/clientele
ENV CLIENTELE_CONFIG=/etc/clientele/clientele.toml \
    CLIENTELE_LISTEN=0.0.0.0:8080
VOLUME /var/lib/clientele
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["clientele", "serve"]
