import { InvalidServiceTokenError, signServiceToken, verifyServiceToken } from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import { injectTraceHeaders, SpanKind, withSpan } from "@urr/telemetry";
import type { Response as ExpressResponse, RequestHandler } from "express";
import type { z } from "zod";
import { CircuitBreaker, withRetries } from "./resilience.ts";

/**
 * Internal HTTP routes between services (payment → ticket, queue → catalog, gateway → auth): a
 * service token on every call, a zod contract from @urr/contracts parsed by the server before it
 * answers and by the client after it receives, and on the client a timeout, retries and a circuit
 * breaker. One implementation for every pair of services, so none of them reads an answer with a cast.
 */

/** Refuses any call without a valid service token meant for `audience` (401, cause logged). */
export function serviceTokenGuard(options: {
  secret: string;
  audience: string;
  logger: Logger;
}): RequestHandler {
  return async (req, res, next) => {
    const token = /^Bearer (.+)$/.exec(req.header("authorization") ?? "")?.[1];
    try {
      if (!token) throw new InvalidServiceTokenError("missing");
      res.locals.caller = await verifyServiceToken(token, options.secret, options.audience);
      next();
    } catch (error) {
      options.logger.warn({ err: error, path: req.path }, "refused an internal call");
      res.status(401).json({ error: "service token required" });
    }
  };
}

/**
 * Answers with `value` only if it satisfies the contract: a server that would break its own
 * contract answers 500 (the client treats it as a failed call) instead of sending something the
 * other side would misread.
 */
export function sendContract<S extends z.ZodType>(
  res: ExpressResponse,
  contract: S,
  value: z.input<S>,
  logger: Logger,
): void {
  const parsed = contract.safeParse(value);
  if (!parsed.success) {
    logger.error({ issues: parsed.error.issues }, "internal answer breaks its contract; not sent");
    res.status(500).json({ error: "internal answer failed its contract" });
    return;
  }
  res.json(parsed.data);
}

export type InternalApiErrorCode =
  /** Unreachable, timed out, 5xx or circuit open: may pass, retry later. */
  | "INTERNAL_API_UNAVAILABLE"
  /** A 4xx other than 404 (a bad service token, a malformed request): a deployment or caller bug. */
  | "INTERNAL_API_REFUSED"
  /** The answer does not satisfy the contract: the two services disagree on it. */
  | "INTERNAL_API_CONTRACT_VIOLATION";

export class InternalApiError extends Error {
  constructor(
    readonly code: InternalApiErrorCode,
    readonly service: string,
    message: string,
  ) {
    super(`${service}: ${message}`);
    this.name = "InternalApiError";
  }
}

export interface InternalApiClientOptions {
  /** Who calls (the token's issuer) and whom (its audience, also the breaker's name). */
  caller: string;
  service: string;
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
  /** Retries after the first attempt, for failures that may pass (network, 5xx, timeout). */
  retries?: number;
  baseDelayMs?: number;
  breaker?: CircuitBreaker;
}

export interface InternalCallOptions {
  /**
   * The body the route sends with its own 404. When given, a 404 without it (a route that is not
   * mounted, a proxy's page) is a failed call, not "the service does not know the thing".
   */
  notFound?: z.ZodType;
}

export class InternalApiClient {
  readonly breaker: CircuitBreaker;

  constructor(private readonly options: InternalApiClientOptions) {
    this.breaker =
      options.breaker ??
      new CircuitBreaker({ service: options.service, failureThreshold: 5, resetAfterMs: 10_000 });
  }

  /**
   * GETs `path` and parses the answer with `contract`; null when the service answers 404 (it does
   * not know the thing). Throws InternalApiError otherwise; a circuit that is open fails at once.
   */
  get<S extends z.ZodType>(
    path: string,
    contract: S,
    options: InternalCallOptions = {},
  ): Promise<z.output<S> | null> {
    return this.call(path, contract, undefined, options);
  }

  /**
   * POSTs `body` as JSON to `path`, otherwise as `get`. Failures that may pass are retried like a
   * GET's, so only routes that are safe to repeat may be called this way (a read with a body, or a
   * write the receiver deduplicates, like a usage batch with its own id).
   */
  post<S extends z.ZodType>(
    path: string,
    body: unknown,
    contract: S,
    options: InternalCallOptions = {},
  ): Promise<z.output<S> | null> {
    return this.call(path, contract, JSON.stringify(body), options);
  }

  private async call<S extends z.ZodType>(
    path: string,
    contract: S,
    body: string | undefined,
    options: InternalCallOptions,
  ): Promise<z.output<S> | null> {
    try {
      return await this.breaker.run(() =>
        withRetries(() => this.attempt(path, contract, body, options), {
          retries: this.options.retries ?? 2,
          baseDelayMs: this.options.baseDelayMs ?? 100,
          retryable: (error) =>
            error instanceof InternalApiError && error.code === "INTERNAL_API_UNAVAILABLE",
        }),
      );
    } catch (error) {
      if (error instanceof InternalApiError) throw error;
      // CircuitOpenError: the service failed repeatedly and has not had time to recover.
      throw new InternalApiError("INTERNAL_API_UNAVAILABLE", this.options.service, String(error));
    }
  }

  /** Each attempt is a CLIENT span whose `traceparent` the route's server span continues. */
  private attempt<S extends z.ZodType>(
    path: string,
    contract: S,
    requestBody: string | undefined,
    options: InternalCallOptions,
  ): Promise<z.output<S> | null> {
    const method = requestBody === undefined ? "GET" : "POST";
    return withSpan(
      `${method} ${this.options.service} internal`,
      { kind: SpanKind.CLIENT, attributes: { "http.request.method": method, "url.path": path } },
      () => this.send(path, contract, requestBody, options),
    );
  }

  private async send<S extends z.ZodType>(
    path: string,
    contract: S,
    requestBody: string | undefined,
    options: InternalCallOptions,
  ): Promise<z.output<S> | null> {
    const { service } = this.options;
    const token = await signServiceToken(this.options.secret, this.options.caller, service);
    let response: Response;
    let body: unknown;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (requestBody !== undefined) headers["content-type"] = "application/json";
      injectTraceHeaders(headers);
      response = await fetch(new URL(path, this.options.baseUrl), {
        method: requestBody === undefined ? "GET" : "POST",
        headers,
        ...(requestBody === undefined ? {} : { body: requestBody }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
      });
      if (response.status === 404) {
        if (!options.notFound) return null;
        const refusal: unknown = await response.json().catch(() => undefined);
        if (options.notFound.safeParse(refusal).success) return null;
        throw new InternalApiError(
          "INTERNAL_API_CONTRACT_VIOLATION",
          service,
          "answered 404 without the route's own refusal (is the route mounted?)",
        );
      }
      if (response.status >= 500)
        throw new InternalApiError("INTERNAL_API_UNAVAILABLE", service, `answered ${response.status}`);
      if (!response.ok)
        throw new InternalApiError("INTERNAL_API_REFUSED", service, `refused the call: ${response.status}`);
      body = await response.json().catch(() => {
        throw new InternalApiError(
          "INTERNAL_API_CONTRACT_VIOLATION",
          service,
          "answered with a body that is not JSON",
        );
      });
    } catch (error) {
      if (error instanceof InternalApiError) throw error;
      throw new InternalApiError(
        "INTERNAL_API_UNAVAILABLE",
        service,
        `unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const parsed = contract.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      throw new InternalApiError(
        "INTERNAL_API_CONTRACT_VIOLATION",
        service,
        `answer breaks the contract (${where})`,
      );
    }
    return parsed.data;
  }
}
