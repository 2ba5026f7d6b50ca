# Production dependencies only; the TypeScript sources run through tsx (a
# production dependency), so there is no separate build output to keep in step.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY dialogs ./dialogs
COPY locales ./locales
USER node
CMD ["node_modules/.bin/tsx", "src/main.ts"]
