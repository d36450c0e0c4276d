import { ConfigError, loadConfig } from "@urr/config";
import { z } from "zod";
import {
  GATEWAY_OPERATION_LIMITS,
  operationLimitsConfigFields,
  operationLimitsFromConfig,
  SUBGRAPH_OPERATION_LIMITS,
} from "../src/index.ts";

const gatewaySchema = z.object({ ...operationLimitsConfigFields() });
const subgraphSchema = z.object({ ...operationLimitsConfigFields(SUBGRAPH_OPERATION_LIMITS) });

it("gives the gateway's or the subgraph's defaults when nothing is set", () => {
  expect(operationLimitsFromConfig(loadConfig("gateway", gatewaySchema, {}))).toEqual(
    GATEWAY_OPERATION_LIMITS,
  );
  expect(operationLimitsFromConfig(loadConfig("catalog", subgraphSchema, {}))).toEqual(
    SUBGRAPH_OPERATION_LIMITS,
  );
});

it("reads every limit and the per-field weights and list sizes from the environment", () => {
  const limits = operationLimitsFromConfig(
    loadConfig("gateway", gatewaySchema, {
      OPERATION_MAX_DEPTH: "9",
      OPERATION_MAX_COST: "500",
      OPERATION_FIELD_COSTS: "Event.availability=5, Event.seats=0.5",
      OPERATION_LIST_SIZES: "Event.seats=2000",
    }),
  );
  expect(limits).toMatchObject({
    maxDepth: 9,
    maxCost: 500,
    fieldCosts: { "Event.availability": 5, "Event.seats": 0.5 },
    listSizes: { "Event.seats": 2000 },
  });
});

it("names a malformed weight and a non-positive limit", () => {
  const load = () =>
    loadConfig("gateway", gatewaySchema, { OPERATION_FIELD_COSTS: "Event=5", OPERATION_MAX_DEPTH: "0" });
  expect(load).toThrow(ConfigError);
  expect(load).toThrow(/OPERATION_FIELD_COSTS: "Event=5" is not Type.field=number/);
  expect(load).toThrow(/OPERATION_MAX_DEPTH/);
});
