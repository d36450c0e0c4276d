import { buildSchema } from "graphql";
import { GATEWAY_OPERATION_LIMITS, operationLimitsGuard, refusalFor } from "../src/index.ts";

const schema = buildSchema(`type Query { items(first: Int): [Item!]! } type Item { id: ID! }`);
const options = { schema, limits: { ...GATEWAY_OPERATION_LIMITS, maxCost: 100 } };
const QUERY = "query($n: Int) { items(first: $n) { id } }";

it("reads variables given as an object or as GET's JSON text", () => {
  expect(refusalFor({ query: QUERY, variables: { n: 10 } }, options)).toBeUndefined();
  expect(refusalFor({ query: QUERY, variables: { n: 1000 } }, options)?.extensions).toMatchObject({
    code: "OPERATION_TOO_COMPLEX",
    limit: "cost",
  });
  expect(refusalFor({ query: QUERY, variables: '{"n":1000}' }, options)?.extensions.limit).toBe("cost");
  // A gateway passes a getter for its current schema.
  const current = { ...options, schema: () => schema };
  expect(refusalFor({ query: QUERY, variables: { n: 1000 } }, current)?.extensions.limit).toBe("cost");
});

it("leaves requests without query text and with syntax errors to the server", () => {
  expect(refusalFor({ variables: { n: 1000 } }, options)).toBeUndefined();
  expect(refusalFor({ query: "{ items(" }, options)).toBeUndefined();
});

/** Records what the middleware answered (or that it passed the request on). */
function run(req: { body?: unknown; query?: unknown }) {
  const answered: { status?: number; body?: unknown; next: boolean } = { next: false };
  const res = {
    status(code: number) {
      answered.status = code;
      return res;
    },
    json(body: unknown) {
      answered.body = body;
      return res;
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: a minimal stand-in for express's request and response
  operationLimitsGuard(options)(req as any, res as any, () => {
    answered.next = true;
  });
  return answered;
}

it("answers 400 with the coded error for POST bodies, GET query strings and batches", () => {
  const refused = {
    status: 400,
    body: {
      errors: [
        {
          message: expect.stringContaining("estimated cost"),
          extensions: { code: "OPERATION_TOO_COMPLEX", limit: "cost", measured: 1000, maximum: 100 },
        },
      ],
    },
    next: false,
  };
  expect(run({ body: { query: QUERY, variables: { n: 1000 } } })).toEqual(refused);
  expect(run({ body: {}, query: { query: QUERY, variables: '{"n":1000}' } })).toEqual(refused);
  expect(run({ body: [{ query: QUERY }, { query: QUERY, variables: { n: 1000 } }] })).toEqual(refused);
  expect(run({ body: { query: QUERY, variables: { n: 5 } } })).toEqual({ next: true });
});
