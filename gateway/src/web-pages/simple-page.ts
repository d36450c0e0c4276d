/**
 * The small pages a browser gets when a built page is not there (being prepared, not installed):
 * self-contained (no script, style sheet or font from anywhere).
 */

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;
background:#f6f7f9;color:#1b2330}main{max-width:36em;padding:2em}h1{font-size:1.3em}code{font-size:.9em}`;

/** Seconds between reloads of a "being prepared" page. */
export const PREPARING_REFRESH_SECONDS = 3;

export function simplePage(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}<style>${STYLE}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>
`;
}

/** A page that reloads itself until the build it stands in for is there. */
export function preparingPage(title: string, body: string): string {
  return simplePage(title, body, `<meta http-equiv="refresh" content="${PREPARING_REFRESH_SECONDS}">`);
}
