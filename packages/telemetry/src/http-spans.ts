import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { RequestHandler } from "express";
import { tracingEnabled } from "./tracing.ts";

export interface ServerSpanOptions {
  /**
   * Continue a trace the caller started (`traceparent`): yes behind the gateway (subgraphs,
   * internal routes), no at the public edge, where a client could otherwise choose which of its
   * requests are recorded and into whose trace they go.
   */
  continueIncoming: boolean;
}

/**
 * One SERVER span per HTTP request, active for everything the request runs (the body parser's
 * callbacks included: the request and response emitters are bound to it), ended when the answer
 * has been sent or the connection closed. Does nothing while tracing is off.
 */
export function serverSpans(options: ServerSpanOptions): RequestHandler {
  return (req, res, next) => {
    if (!tracingEnabled()) return next();
    const parent = options.continueIncoming ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
    const path = req.originalUrl.split("?")[0] ?? "";
    const span = trace
      .getTracer("urr")
      .startSpan(
        `${req.method} ${req.baseUrl || path}`,
        { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method, "url.path": path } },
        parent,
      );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once("finish", end);
    res.once("close", end);
    const active = trace.setSpan(parent, span);
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}
