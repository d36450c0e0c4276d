import { randomUUID } from "node:crypto";
import { z } from "zod";

/**
 * Every domain event travels in this envelope, defined once. `type` + `version` select the payload
 * contract; consumers validate before applying (no duck typing on field presence).
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregateId: z.string().min(1),
  sagaId: z.string().nullable(),
  payload: z.unknown(),
});

export type EventEnvelope<TType extends string = string, TPayload = unknown> = Omit<
  z.infer<typeof envelopeSchema>,
  "type" | "payload"
> & { type: TType; payload: TPayload };

/** One event type: its topic, its version and the shape of its payload. */
export interface EventContract<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  version: number;
  /** Kafka topic; the aggregate id is the message key, so one aggregate's events stay in order. */
  topic: string;
  payload: TSchema;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  contract: EventContract<TType, TSchema>,
): EventContract<TType, TSchema> {
  return contract;
}

export class InvalidEventError extends Error {
  constructor(reason: string) {
    super(`invalid event: ${reason}`);
    this.name = "InvalidEventError";
  }
}

/** Builds a validated envelope: a producer cannot emit a payload its own contract rejects. */
export function createEvent<TType extends string, TSchema extends z.ZodType>(
  contract: EventContract<TType, TSchema>,
  aggregateId: string,
  payload: z.input<TSchema>,
  options: { sagaId?: string | null; occurredAt?: Date; id?: string } = {},
): EventEnvelope<TType, z.output<TSchema>> {
  const parsed = contract.payload.safeParse(payload);
  if (!parsed.success) throw new InvalidEventError(`${contract.type}: ${parsed.error.message}`);
  return {
    id: options.id ?? randomUUID(),
    type: contract.type,
    version: contract.version,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    aggregateId,
    sagaId: options.sagaId ?? null,
    payload: parsed.data,
  };
}

/** Validates a received message against the envelope and the contract its type names. */
export function parseEvent<TType extends string, TSchema extends z.ZodType>(
  contract: EventContract<TType, TSchema>,
  message: unknown,
): EventEnvelope<TType, z.output<TSchema>> {
  const envelope = envelopeSchema.safeParse(message);
  if (!envelope.success) throw new InvalidEventError(envelope.error.message);
  if (envelope.data.type !== contract.type) {
    throw new InvalidEventError(`expected ${contract.type}, got ${envelope.data.type}`);
  }
  if (envelope.data.version !== contract.version) {
    throw new InvalidEventError(`${contract.type} version ${envelope.data.version} is not supported`);
  }
  const payload = contract.payload.safeParse(envelope.data.payload);
  if (!payload.success) throw new InvalidEventError(`${contract.type}: ${payload.error.message}`);
  return { ...envelope.data, type: contract.type, payload: payload.data };
}
