import type { z } from "zod";
import { type EventContract, type EventEnvelope, InvalidEventError, parseEvent } from "./envelope.ts";

type Handler = (event: EventEnvelope<string, unknown>) => Promise<string>;

/**
 * A consumer's table of the event types it applies. Every message is validated against the
 * contract its type names before its handler runs; a type the consumer does not know is an
 * InvalidEventError (dead-lettered), and a known type it does not need can be acknowledged with
 * `ignore` (still validated, so a malformed one is dead-lettered too).
 */
export class EventHandlers {
  private readonly byType = new Map<
    string,
    { contract: EventContract<string, z.ZodType>; handle: Handler }
  >();

  on<TType extends string, TSchema extends z.ZodType>(
    contract: EventContract<TType, TSchema>,
    handle: (event: EventEnvelope<TType, z.output<TSchema>>) => Promise<string>,
  ): this {
    this.byType.set(contract.type, { contract, handle: handle as Handler });
    return this;
  }

  ignore(...contracts: EventContract<string, z.ZodType>[]): this {
    for (const contract of contracts) this.on(contract, async () => "ignored");
    return this;
  }

  /** Adds another table's handlers (one consumer serving several topics). */
  include(other: EventHandlers): this {
    for (const [type, entry] of other.byType) this.byType.set(type, entry);
    return this;
  }

  readonly handle = async (message: unknown): Promise<string> => {
    const type = (message as Partial<EventEnvelope> | null)?.type;
    const entry = typeof type === "string" ? this.byType.get(type) : undefined;
    if (!entry) throw new InvalidEventError(`no handler for event type ${String(type)}`);
    return entry.handle(parseEvent(entry.contract, message));
  };
}
