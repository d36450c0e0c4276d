// Monaco's workers (editor, JSON, GraphQL) as files of this build, not from a CDN.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";
import "./explorer.css";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { documentsPlugin } from "./documents-plugin.tsx";
import { endpointsOf } from "./endpoint.ts";
import { gatewayFetcher } from "./fetcher.ts";
import { SchemaAccessNotice } from "./schema-access-notice.tsx";

const endpoints = endpointsOf(window.location);
const fetcher = gatewayFetcher(endpoints);
const plugins = [HISTORY_PLUGIN, explorerPlugin(), documentsPlugin(endpoints.documents)];

const FIRST_VISIT = `# URR Supergraph: the schema explorer
#
# The book icon on the left is the documentation, written from the schema's
# descriptions; the others are your history, a point-and-click query builder and
# the registered documents partners run by id.
#
# Queries and mutations run with this browser's session: run \`login\` to sign in.
# Subscriptions (queuePosition, seatAvailability, reservationUpdates) run over
# graphql-ws on this same endpoint. Headers and history are kept in this browser.

query UpcomingEvents {
  events(first: 5) {
    edges {
      node {
        id
        title
        startsAt
      }
    }
  }
}
`;

const root = document.getElementById("explorer");
if (!root) throw new Error("the page has no #explorer element");
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      plugins={plugins}
      defaultQuery={FIRST_VISIT}
      shouldPersistHeaders
      defaultEditorToolsVisibility={false}
    >
      <GraphiQL.Logo>URR Supergraph</GraphiQL.Logo>
      <GraphiQL.Footer>
        <SchemaAccessNotice />
      </GraphiQL.Footer>
    </GraphiQL>
  </StrictMode>,
);
