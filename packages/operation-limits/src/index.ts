export {
  type OperationLimitsConfig,
  operationLimitsConfigFields,
  operationLimitsFromConfig,
} from "./config.ts";
export { type LimitExceeded, OPERATION_TOO_COMPLEX, OperationTooComplexError } from "./errors.ts";
export {
  COUNTED_LIST_ARGUMENTS,
  GATEWAY_OPERATION_LIMITS,
  type LimitName,
  type OperationLimits,
  SIZE_ARGUMENTS,
  SUBGRAPH_OPERATION_LIMITS,
} from "./limits.ts";
export {
  assertWithinLimits,
  type MeasureOptions,
  measureOperation,
  type OperationMeasurement,
  type Verdict,
} from "./measure.ts";
export {
  type GuardOptions,
  type OperationRequest,
  operationLimitsGuard,
  refusalFor,
} from "./request-guard.ts";
export {
  assertTokenLimit,
  countTokens,
  documentTokens,
  operationParseOptions,
  parseWithinLimits,
} from "./tokens.ts";
