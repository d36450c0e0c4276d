/**
 * The demo's news, written through the gateway as the admin, the way an editor would write it:
 * community keeps authors by user id, and only auth knows the admin's, so the seed is an ordinary
 * client (signed in, `createNews`, audited like any admin action) rather than rows written into
 * community's database. Written once, into a community that has no news yet.
 */

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const DEMO_NEWS = [
  {
    title: "Welcome to URR",
    body: [
      "This is the demo supergraph. Browse the events, join a waiting room, hold seats and pay",
      'with the simulated provider (a paymentKey starting with "decline" is refused).',
      "",
      "Fan-club members of an artist may post on that artist's board: join with joinMembership.",
    ].join("\n"),
    pinned: true,
  },
  {
    title: "Aurora Lane announce their World Tour Seoul",
    body: "Tickets are on sale now at KSPO Dome. Fan-club members enter the pre-sale of the Fan Meeting first.",
    pinned: false,
  },
];

async function post(url: string, query: string, variables: object, token?: string): Promise<GraphQLAnswer> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return (await res.json()) as GraphQLAnswer;
}

function failure(what: string, answer: GraphQLAnswer): Error {
  const first = answer.errors?.[0];
  return new Error(`${what}: ${first ? `${first.extensions?.code ?? ""} ${first.message}` : "no data"}`);
}

/** Returns how many items were written (0 when community already had news). */
export async function seedDemoNews(
  gatewayUrl: string,
  admin: { email: string; password: string },
): Promise<number> {
  const existing = await post(gatewayUrl, "{ news(first: 1) { edges { node { id } } } }", {});
  const edges = (existing.data?.news as { edges?: unknown[] } | undefined)?.edges;
  if (!edges) throw failure("reading the news", existing);
  if (edges.length > 0) return 0;

  const login = await post(
    gatewayUrl,
    "mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }",
    { e: admin.email, p: admin.password },
  );
  const token = (login.data?.login as { accessToken?: string } | undefined)?.accessToken;
  if (!token) throw failure("signing in as the admin", login);
  // Oldest first, so the newest item reads as the latest news.
  for (const item of [...DEMO_NEWS].reverse()) {
    const created = await post(
      gatewayUrl,
      "mutation($i: CreateNewsInput!) { createNews(input: $i) { id } }",
      { i: { ...item, publish: true } },
      token,
    );
    if (!created.data?.createNews) throw failure(`writing "${item.title}"`, created);
  }
  return DEMO_NEWS.length;
}
