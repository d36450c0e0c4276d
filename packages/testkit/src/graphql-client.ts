/**
 * A small GraphQL-over-HTTP client for tests, with a cookie jar like a browser's (enough of one:
 * name=value pairs, removal on expiry in the past).
 */
export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  setCookies: string[];
  headers: Headers;
}

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expires = attributes.find((a) => a.toLowerCase().startsWith("expires="));
      const expired = expires ? new Date(expires.slice(8)).getTime() <= Date.now() : false;
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
  }
}

export interface RequestOptions {
  headers?: Record<string, string>;
  jar?: CookieJar;
}

export async function graphqlRequest<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const cookie = options.jar?.header();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}), ...options.headers },
    body: JSON.stringify({ query, variables }),
  });
  const setCookies = response.headers.getSetCookie();
  options.jar?.store(setCookies);
  const text = await response.text();
  let body: { data?: TData | null; errors?: GraphQLResponse["errors"] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response (${response.status}): ${text.slice(0, 500)}`);
  }
  return { status: response.status, ...body, setCookies, headers: response.headers };
}

/** The `extensions.code` of the first error, for terse assertions. */
export function firstErrorCode(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}
