import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { activeSpan, contextWith, markFailed, type Span, SpanKind, startSpan } from "@urr/telemetry";

/** Enough of a statement to recognise it; Prisma's SQL carries its values as parameters, never inline. */
const STATEMENT_CHARS = 300;

/**
 * Prisma's driver adapter with spans: a CLIENT span per SQL statement and one per interactive
 * transaction (from BEGIN to COMMIT or ROLLBACK, its statements beneath it). Spans are only
 * children: a statement run with no span active (the relay polling its outbox every 200 ms, a
 * sweeper) records nothing, or every idle tick would be a trace of its own.
 *
 * Only installed when tracing is on (see openDatabase): off, Prisma talks to the adapter directly.
 */
export function tracedAdapterFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, property) {
      if (property === "connect") return async () => tracedAdapter(await target.connect(), target.provider);
      return bound(target, property);
    },
  });
}

function tracedAdapter(adapter: SqlDriverAdapter, system: string): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property) {
      if (property === "queryRaw" || property === "executeRaw")
        return (query: SqlQuery) =>
          statement<unknown>(system, undefined, () => target[property](query), query);
      if (property === "startTransaction")
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => {
          const parent = activeSpan();
          if (!parent) return target.startTransaction(...args);
          const span = startSpan("db transaction", {
            kind: SpanKind.CLIENT,
            attributes: { "db.system.name": system },
          });
          try {
            return tracedTransaction(await target.startTransaction(...args), system, span);
          } catch (error) {
            markFailed(span, error);
            span.end();
            throw error;
          }
        };
      return bound(target, property);
    },
  });
}

function tracedTransaction(transaction: Transaction, system: string, span: Span): Transaction {
  return new Proxy(transaction, {
    get(target, property) {
      if (property === "queryRaw" || property === "executeRaw")
        return (query: SqlQuery) => statement<unknown>(system, span, () => target[property](query), query);
      if (property === "commit" || property === "rollback")
        return async () => {
          span.setAttribute("db.transaction.outcome", property);
          try {
            await target[property]();
          } catch (error) {
            markFailed(span, error);
            throw error;
          } finally {
            span.end();
          }
        };
      return bound(target, property);
    },
  });
}

async function statement<T>(
  system: string,
  transaction: Span | undefined,
  run: () => Promise<T>,
  query: SqlQuery,
): Promise<T> {
  if (!transaction && !activeSpan()) return run();
  const text = query.sql.trim();
  const span = startSpan(`db ${text.split(/\s/, 1)[0]?.toUpperCase() ?? "query"}`, {
    kind: SpanKind.CLIENT,
    attributes: { "db.system.name": system, "db.query.text": text.slice(0, STATEMENT_CHARS) },
    ...(transaction ? { parent: contextWith(transaction) } : {}),
  });
  try {
    // Prisma's adapters answer failures as values ({ ok: false }) or by throwing; both end here.
    const result = await run();
    if ((result as { ok?: boolean } | null)?.ok === false) span.setAttribute("db.response.status", "error");
    return result;
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Anything else is the adapter's own, called on itself: adapters keep private state (`#fields`). */
function bound(target: object, property: string | symbol): unknown {
  const value = Reflect.get(target, property, target);
  return typeof value === "function" ? value.bind(target) : value;
}
