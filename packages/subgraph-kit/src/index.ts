export { ApiKeyDirectoryClient } from "./api-key-directory.ts";
export { bodyErrorHandler } from "./body-errors.ts";
export {
  ConcurrencyGate,
  type ConcurrencyGateOptions,
  type ConcurrencyGateStats,
} from "./concurrency-gate.ts";
export { type BaseContext, type CookieJar, cookieJar, requireAdmin, requireViewer } from "./context.ts";
export { contextGuard } from "./context-guard.ts";
export { formatErrorFor } from "./format-error.ts";
export { checkId } from "./ids.ts";
export {
  InternalApiClient,
  type InternalApiClientOptions,
  InternalApiError,
  type InternalApiErrorCode,
  type InternalCallOptions,
  sendContract,
  serviceTokenGuard,
} from "./internal-api.ts";
export { type Emit, type LiveChannel, type LiveStreamOptions, liveStream, openLiveChannel } from "./live.ts";
export {
  type CursorPart,
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  newestFirstAfter,
  type Page,
  pageSize,
  toPage,
} from "./pagination.ts";
export { CircuitBreaker, CircuitOpenError, withRetries } from "./resilience.ts";
export { runService } from "./run-service.ts";
export { DateTimeScalar, JSONScalar } from "./scalars.ts";
export { onShutdownSignal, type ShutdownHook } from "./shutdown.ts";
export { type RunningSubgraph, type SubgraphOptions, startSubgraph } from "./start-subgraph.ts";
