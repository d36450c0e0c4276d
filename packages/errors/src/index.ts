export { ErrorCode, PUBLIC_ERROR_CODES } from "./codes.ts";
export {
  BadUserInputError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from "./domain-errors.ts";
export { MASKED_MESSAGE, type MaskOptions, maskError } from "./mask.ts";
export { DATABASE_RETRY_AFTER_SECONDS, isUniqueViolation, mapPrismaError } from "./prisma-errors.ts";
