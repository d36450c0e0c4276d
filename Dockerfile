# One image for every URR service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=true
COPY package.json package-lock.json ./
COPY packages ./packages
COPY gateway/package.json ./gateway/
COPY subgraphs/auth/package.json ./subgraphs/auth/
COPY subgraphs/catalog/package.json ./subgraphs/catalog/
COPY subgraphs/ticket/package.json ./subgraphs/ticket/
COPY subgraphs/payment/package.json ./subgraphs/payment/
COPY subgraphs/queue/package.json ./subgraphs/queue/
COPY subgraphs/stats/package.json ./subgraphs/stats/
COPY subgraphs/community/package.json ./subgraphs/community/
RUN npm ci --no-audit --no-fund
COPY . .
# The web pages' static files (built by Vite), served by the gateway: the schema explorer
# (web/explorer) from EXPLORER_DIR and the live on-sale demo (web/demo) from DEMO_DIR
# (docker-compose.yml); the build cache they were made in is not kept.
RUN npm run web:build -- explorer --copy-to /app/web-dist/explorer \
 && npm run web:build -- demo --copy-to /app/web-dist/demo \
 && rm -rf .urr
RUN mkdir -p /keys /media && chown node:node /keys /media
USER node
# The gateway and each subgraph's port (see supergraph.yaml); docker-compose.yml picks one per container.
EXPOSE 4000 4001 4002 4003 4004 4005 4006 4007
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
