# The product's image: one image, four processes (worker, webhook receiver, Fortnox event listener, operator CLI), chosen by the command.
#
# TypeScript runs through tsx, which is a runtime dependency (package.json "dependencies"), so the image installs
# production dependencies only (`npm ci --omit=dev`): no compiler, test runner or Temporal test server inside.
# The worker bundles the workflow code with the SDK's bundler when it starts (a few seconds); there is no build step.
FROM node:20-slim

ENV NODE_ENV=production \
    DATA_DIR=/data \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. The Temporal SDK ships prebuilt native binaries for
# linux x64/arm64 glibc, which node:20-slim is.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY activities ./activities
COPY client ./client
COPY config ./config
COPY domain ./domain
COPY observability ./observability
COPY workers ./workers
COPY workflows ./workflows
COPY tsconfig.json ./

# Tokens (Fortnox refresh tokens rotate: keep this on a volume shared by every process of a deployment).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node

# Webhook receiver and metrics.
EXPOSE 8380 9464

# `npm run worker` by default; the compose file runs `npm run receiver`, `npm run events` and `npm run cli -- ...` from the same image.
CMD ["npm", "run", "worker"]
