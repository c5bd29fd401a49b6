# Campfire for Excel: the add-in host for a whole team (docs/deploy.md).
#
#   docker build --build-arg CAMPFIRE_ADDIN_URL=https://excel-addin.example.com/ -t campfire-excel-host .
#   docker run -p 127.0.0.1:8080:8080 -e CAMPFIRE_BASE_URL=https://api.meetcampfire.com \
#     -e CAMPFIRE_ADDIN_URL=https://excel-addin.example.com/ -e TRUST_PROXY=true campfire-excel-host
#
# The build stage needs the dev dependencies (webpack, esbuild); the image that runs holds only the built add-in
# (dist/) and the host bundled into one file (dist-host/host.js), run by plain Node with no node_modules at all.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: nothing the build uses needs one, and none of them should run with network access here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The public https URL the add-in is served from: manifest.xml is built for it (Office loads the pane from there).
ARG CAMPFIRE_ADDIN_URL
RUN test -n "$CAMPFIRE_ADDIN_URL" || { echo "Build with --build-arg CAMPFIRE_ADDIN_URL=https://<public add-in host>/ (the manifest is built for it)" >&2; exit 1; }
RUN npm run build

FROM node:20-alpine
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
# Owned by root and read-only to the process: the host never writes to its own files.
COPY --from=build /src/dist ./dist
COPY --from=build /src/dist-host ./dist-host
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist-host/host.js", "healthcheck"]
# SIGTERM (docker stop, Kubernetes) drains requests in flight for SHUTDOWN_GRACE_MS (8 s; docker stop waits 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist-host/host.js"]
