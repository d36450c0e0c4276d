export { TestGatewayIdentity } from "./context.ts";
export { createEmptyDatabase, createTestDatabase, TEST_ADMIN_URL, type TestDatabase } from "./database.ts";
export {
  CookieJar,
  firstErrorCode,
  type GraphQLResponse,
  graphqlRequest,
  type RequestOptions,
} from "./graphql-client.ts";
export { type KafkaMock, startKafkaMock } from "./kafka-mock.ts";
export { type LiveClient, type LiveSubscription, openLiveClient } from "./live-client.ts";
export { freePort, freePorts } from "./ports.ts";
