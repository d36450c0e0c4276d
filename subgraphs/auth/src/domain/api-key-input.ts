import { API_KEY_MAX_PER_MINUTE, API_KEY_SCOPES } from "@urr/contracts";
import { BadUserInputError } from "@urr/errors";
import type { ApiKeyScopeName } from "./api-key.ts";

export interface CreateApiKeyInput {
  partner: string;
  label?: string | null;
  scopes?: readonly ApiKeyScopeName[] | null;
  documents: readonly string[];
  perMinuteQuota: number;
  perDayQuota: number;
}

/** What a valid input becomes: trimmed, deduplicated, scopes as wire strings. */
export interface ApiKeyFields {
  partner: string;
  label: string | null;
  scopes: string[];
  documents: string[];
  perMinuteQuota: number;
  perDayQuota: number;
}

export const API_KEY_LIMITS = {
  partnerMax: 100,
  labelMax: 100,
  documentsMax: 500,
  documentNameMax: 128,
  perMinuteMax: API_KEY_MAX_PER_MINUTE,
} as const;

/** An operation name as GraphQL spells names; the manifest's keys are operation names. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The rules of a new key; each failure names its input field so an admin form can highlight it. */
export function validateApiKeyInput(input: CreateApiKeyInput, prefix = "input"): ApiKeyFields {
  const partner = input.partner.trim().replace(/\s+/g, " ");
  if (partner.length < 1 || partner.length > API_KEY_LIMITS.partnerMax) {
    throw new BadUserInputError(
      `partner must be 1 to ${API_KEY_LIMITS.partnerMax} characters`,
      `${prefix}.partner`,
    );
  }
  const label = input.label?.trim() || null;
  if (label && label.length > API_KEY_LIMITS.labelMax) {
    throw new BadUserInputError(
      `label must be at most ${API_KEY_LIMITS.labelMax} characters`,
      `${prefix}.label`,
    );
  }
  return {
    partner,
    label,
    scopes: [...new Set(input.scopes ?? [])].map((scope) => API_KEY_SCOPES[scope]),
    documents: checkDocuments(input.documents, `${prefix}.documents`),
    ...checkQuotas(input, prefix),
  };
}

function checkDocuments(documents: readonly string[], field: string): string[] {
  const names = [...new Set(documents)];
  if (names.length < 1 || names.length > API_KEY_LIMITS.documentsMax) {
    throw new BadUserInputError(`documents must name 1 to ${API_KEY_LIMITS.documentsMax} operations`, field);
  }
  const invalid = names.find((n) => !GRAPHQL_NAME.test(n) || n.length > API_KEY_LIMITS.documentNameMax);
  if (invalid !== undefined) {
    throw new BadUserInputError(
      `documents must be operation names (GraphQL names of at most ${API_KEY_LIMITS.documentNameMax} characters): ${JSON.stringify(invalid.slice(0, 140))} is not`,
      field,
    );
  }
  return names;
}

function checkQuotas(input: CreateApiKeyInput, prefix: string) {
  const { perMinuteQuota, perDayQuota } = input;
  if (
    !Number.isInteger(perMinuteQuota) ||
    perMinuteQuota < 1 ||
    perMinuteQuota > API_KEY_LIMITS.perMinuteMax
  ) {
    throw new BadUserInputError(
      `perMinuteQuota must be 1 to ${API_KEY_LIMITS.perMinuteMax.toLocaleString("en")}`,
      `${prefix}.perMinuteQuota`,
    );
  }
  if (!Number.isInteger(perDayQuota) || perDayQuota < perMinuteQuota) {
    throw new BadUserInputError("perDayQuota must be at least perMinuteQuota", `${prefix}.perDayQuota`);
  }
  return { perMinuteQuota, perDayQuota };
}
