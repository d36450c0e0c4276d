import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  level?: string;
}

/**
 * Structured JSON logs, one line per record, with the service name on every line. Secrets that may
 * pass through request logging are redacted at the source.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    name: service,
    level: options.level ?? "info",
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "password",
        "*.password",
        "refreshToken",
        "*.refreshToken",
        "accessToken",
        "*.accessToken",
        "idToken",
        "*.idToken",
        "headers.authorization",
        "headers.cookie",
        'headers["x-urr-context"]',
      ],
      censor: "[redacted]",
    },
  });
}
