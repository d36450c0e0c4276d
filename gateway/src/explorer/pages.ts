/**
 * The two small pages a browser gets at /graphql when the explorer's files are not there: the first
 * says the explorer is being built and reloads itself until it is; the second that this gateway was
 * started without it.
 */
import { preparingPage, simplePage } from "../web-pages/simple-page.ts";

export const PREPARING_PAGE = preparingPage(
  "The schema explorer is being prepared",
  `<p>The gateway is running and answers GraphQL at this address already; its schema explorer
(GraphiQL) is being built in the background and appears here by itself in a few seconds.</p>`,
);

export const NOT_INSTALLED_PAGE = simplePage(
  "This gateway has no schema explorer",
  `<p>This address answers GraphQL over POST, GET with a <code>query</code> parameter, and
graphql-ws. The browser explorer is served when the gateway is given its built files
(<code>EXPLORER_DIR</code>; <code>npm start</code> builds and sets it).</p>`,
);
