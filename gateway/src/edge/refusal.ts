import { ErrorCode } from "@urr/errors";
import { GraphQLError } from "graphql";

/**
 * The edge's answer to a request it will not pass on: one GraphQL error with a stable code, the
 * HTTP status it earns, and headers (Retry-After, RateLimit-*). Over graphql-ws the same error is
 * the subscription's error message; the status is HTTP's alone.
 */
export class EdgeRefusal {
  constructor(
    readonly status: number,
    readonly error: GraphQLError,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  static badRequest(message: string, extensions: Record<string, unknown> = {}): EdgeRefusal {
    return EdgeRefusal.coded(400, ErrorCode.BadRequest, message, extensions);
  }

  static coded(
    status: number,
    code: string,
    message: string,
    extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): EdgeRefusal {
    return new EdgeRefusal(
      status,
      new GraphQLError(message, { extensions: { code, ...extensions } }),
      headers,
    );
  }

  /** A GraphQLError from elsewhere (operation limits, rate limits) with its own `extensions.http`. */
  static fromError(error: GraphQLError, fallbackStatus = 400): EdgeRefusal {
    const { http, ...extensions } = error.extensions as {
      http?: { status?: number; headers?: Map<string, string> };
    };
    const status = http?.status ?? fallbackStatus;
    const headers = Object.fromEntries(http?.headers ?? []);
    return new EdgeRefusal(status, new GraphQLError(error.message, { extensions }), headers);
  }

  /** The JSON body: GraphQL's `{ errors }` shape, no data. */
  body(): { errors: [ReturnType<GraphQLError["toJSON"]>] } {
    return { errors: [this.error.toJSON()] };
  }
}
