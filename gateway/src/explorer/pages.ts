/**
 * The two small pages a browser gets at /graphql when the explorer's files are not there. Both are
 * self-contained (no script, style sheet or font from anywhere): the first says the explorer is
 * being built and reloads itself until it is; the second that this gateway was started without it.
 */

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;
background:#f6f7f9;color:#1b2330}main{max-width:36em;padding:2em}h1{font-size:1.3em}code{font-size:.9em}`;

function page(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}<style>${STYLE}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>
`;
}

/** Seconds between reloads of the "being prepared" page. */
export const PREPARING_REFRESH_SECONDS = 3;

export const PREPARING_PAGE = page(
  "The schema explorer is being prepared",
  `<p>The gateway is running and answers GraphQL at this address already; its schema explorer
(GraphiQL) is being built in the background and appears here by itself in a few seconds.</p>`,
  `<meta http-equiv="refresh" content="${PREPARING_REFRESH_SECONDS}">`,
);

export const NOT_INSTALLED_PAGE = page(
  "This gateway has no schema explorer",
  `<p>This address answers GraphQL over POST, GET with a <code>query</code> parameter, and
graphql-ws. The browser explorer is served when the gateway is given its built files
(<code>EXPLORER_DIR</code>; <code>npm start</code> builds and sets it).</p>`,
);
