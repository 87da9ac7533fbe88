# Edge-box image: the same install script CI runs, then the three site processes under one
# supervisor. Runs as the unprivileged `node` user; data in a volume; health from heartbeats.
FROM node:22-bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive NODE_ENV=production DATA_DIR=/var/lib/campus-gateway
WORKDIR /opt/campus-gateway

# Native modules (better-sqlite3, serialport) may build from source; scripts/install.sh adds
# g++/make/python3 and socat when they are missing.
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY dashboard ./dashboard
RUN bash scripts/install.sh && rm -rf /var/lib/apt/lists/*

COPY . .
RUN mkdir -p /var/lib/campus-gateway /etc/campus \
 && chown -R node:node /var/lib/campus-gateway \
 && usermod -aG dialout node

USER node
VOLUME ["/var/lib/campus-gateway"]
EXPOSE 8080 1883
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# The site file's gateway.dataDir should be /var/lib/campus-gateway.
CMD ["node", "--import", "tsx", "gateway/site.ts", "--config", "/etc/campus/site.yaml"]
