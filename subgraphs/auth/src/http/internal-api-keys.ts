import {
  API_KEY_RESOLVE_ROUTE,
  API_KEY_USAGE_ROUTE,
  ApiKeyResolveRequest,
  type ApiKeyUnknown,
  ApiKeyUsageApplied,
  ApiKeyUsageBatch,
  ResolvedApiKey,
} from "@urr/contracts";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { sendContract, serviceTokenGuard } from "@urr/subgraph-kit";
import express, { type Application, type Request, type Response } from "express";
import type { z } from "zod";
import type { ApiKeyService } from "../domain/api-key.service.ts";
import type { ApiKeyRecord } from "../domain/api-key.ts";

/** What the gateway needs to know about a key; never its hash or who administers it. */
export function resolvedApiKey(key: ApiKeyRecord): ResolvedApiKey {
  return {
    id: key.id,
    partner: key.partner,
    scopes: key.scopes,
    documents: key.documents,
    perMinuteQuota: key.perMinuteQuota,
    perDayQuota: key.perDayQuota,
    revoked: key.revokedAt !== null,
  };
}

/** The request body as the contract reads it, or a 400 naming what is wrong (and null). */
function parseBody<S extends z.ZodType>(req: Request, res: Response, contract: S): z.output<S> | null {
  const parsed = contract.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  res.status(400).json({ error: `request breaks the contract (${where.slice(0, 500)})` });
  return null;
}

/**
 * Auth's internal API-key routes, behind a service token (never reachable with a user's credentials,
 * never exposed through the gateway's GraphQL): the gateway resolves presented keys by their hash and
 * reports the operations keys ran. Answers follow the contracts in @urr/contracts.
 */
export function mountInternalApiKeys(
  app: Application,
  deps: { secret: string; apiKeys: ApiKeyService; logger: Logger },
): void {
  const guard = serviceTokenGuard({ secret: deps.secret, audience: "auth", logger: deps.logger });
  // 10,000 usage entries of ~90 bytes each; malformed JSON is answered by the app's body error handler.
  const json = express.json({ limit: "1mb" });
  const failed = (res: Response, error: unknown, what: string) => {
    deps.logger.error({ err: error }, `internal ${what} failed`);
    res.status(503).json({ error: "unavailable" });
  };

  app.post(API_KEY_RESOLVE_ROUTE, guard, json, async (req: Request, res: Response) => {
    const request = parseBody(req, res, ApiKeyResolveRequest);
    if (!request) return;
    try {
      const key = await deps.apiKeys.resolve(request.keyHash);
      if (!key) {
        const unknown: ApiKeyUnknown = { code: ErrorCode.ApiKeyInvalid, error: "no API key has this hash" };
        res.status(404).json(unknown);
        return;
      }
      sendContract(res, ResolvedApiKey, resolvedApiKey(key), deps.logger);
    } catch (error) {
      failed(res, error, "API key lookup");
    }
  });

  app.post(API_KEY_USAGE_ROUTE, guard, json, async (req: Request, res: Response) => {
    const batch = parseBody(req, res, ApiKeyUsageBatch);
    if (!batch) return;
    try {
      sendContract(res, ApiKeyUsageApplied, { applied: await deps.apiKeys.applyUsage(batch) }, deps.logger);
    } catch (error) {
      failed(res, error, "usage batch");
    }
  });
}
