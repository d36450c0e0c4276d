import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLogger } from "@urr/logger";
import { parse } from "graphql";
import {
  ADAPTED_VERSIONS,
  completeEvent,
  planningSupergraph,
  planSubscription,
  shapeEvent,
} from "../src/subscriptions/apollo-internals.ts";
import { liveSupergraphSdl } from "./support/live-supergraph.ts";

/**
 * The adapter over Apollo's undocumented pieces. The version check fails loudly on an upgrade: read
 * each function of apollo-internals.ts against the new release (the `dist/` modules may move or
 * change), run these tests, then raise ADAPTED_VERSIONS.
 */
describe("apollo-internals adapter", () => {
  it.each(Object.entries(ADAPTED_VERSIONS))("was written against the installed %s", (name, version) => {
    const installed = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
      version: string;
    };
    expect(installed.version).toBe(version);
  });

  it("is the only gateway module that imports them", () => {
    const src = path.resolve(__dirname, "../src");
    const importers = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .filter((file) =>
        /from "@apollo\/(gateway\/dist|query-planner|federation-internals)/.test(
          readFileSync(path.join(src, file), "utf8"),
        ),
      );
    expect(importers).toEqual([path.join("subscriptions", "apollo-internals.ts")]);
  });

  const supergraph = planningSupergraph(liveSupergraphSdl());

  it("builds the API schema clients see, apart from the supergraph's", () => {
    expect(supergraph.schema.getSubscriptionType()?.getFields().counter).toBeDefined();
    expect(supergraph.schema.getDirective("join__field")).toBeUndefined();
    expect(supergraph.supergraphSchema.getDirective("join__field")).toBeDefined();
  });

  it("plans a subscription as one upstream fetch, with or without the rest of a plan", () => {
    const local = planSubscription(
      supergraph,
      parse("subscription { counter(step: 1) { value } }"),
      undefined,
    );
    expect(local).toMatchObject({ local: true, primary: { serviceName: "live" } });
    const federated = planSubscription(
      supergraph,
      parse("subscription Live { counter(step: 1) { show { title } } }"),
      "Live",
    );
    expect(federated.local).toBe(false);
    expect(federated.primary.operation).toContain("show{__typename id}");
    expect(() => planSubscription(supergraph, parse("{ ping }"), undefined)).toThrow(/not a subscription/);
  });

  it("shapes an event for the client", () => {
    const plan = planSubscription(
      supergraph,
      parse("subscription { n: counter(step: 1) { value } }"),
      undefined,
    );
    expect(shapeEvent(supergraph, plan, {}, { data: { n: { value: 3, extra: true } } })).toEqual({
      data: { n: { value: 3 } },
    });
  });

  it("completes an event through the rest of the plan", async () => {
    const plan = planSubscription(
      supergraph,
      parse("subscription { counter(step: 1) { show { title } } }"),
      undefined,
    );
    const shows = { process: async () => ({ data: { _entities: [{ title: "Hamlet" }] } }) };
    const result = await completeEvent(
      supergraph,
      plan,
      { data: { counter: { show: { __typename: "Show", id: "s1" } } } },
      {
        serviceMap: { shows },
        variables: {},
        context: {},
        logger: createLogger("test", { level: "silent" }),
      },
    );
    expect(result).toEqual({ data: { counter: { show: { title: "Hamlet" } } } });
  });
});
