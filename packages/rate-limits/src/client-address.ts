import { BlockList, isIP } from "node:net";

export type AddressFamily = "ipv4" | "ipv6";

interface ParsedAddress {
  readonly address: string;
  readonly family: AddressFamily;
}

/** `2001:db8::1` → eight hextets; `::ffff:1.2.3.4`'s IPv4 tail becomes the last two. */
function hextets(address: string): number[] {
  let text = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split(".").map(Number);
    text = `${text.slice(0, -tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((h) => Number.parseInt(h, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

/** An IPv4 address hidden in an IPv6 one (`::ffff:a.b.c.d`, as dual-stack sockets report it). */
function mappedIPv4(groups: readonly number[]): string | undefined {
  if (groups.slice(0, 5).some((g) => g !== 0) || groups[5] !== 0xffff) return undefined;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/**
 * One address as a socket or a proxy writes it: IPv4, IPv6 (brackets, a port or a zone allowed),
 * IPv4-mapped IPv6 taken as the IPv4 address. Anything else → undefined.
 */
export function parseAddress(raw: string | undefined): ParsedAddress | undefined {
  let text = raw?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  text = text.replace(/%.*$/, "").toLowerCase();
  const version = isIP(text);
  if (version === 4) return { address: text, family: "ipv4" };
  if (version !== 6) return undefined;
  const ipv4 = mappedIPv4(hextets(text));
  return ipv4 ? { address: ipv4, family: "ipv4" } : { address: text, family: "ipv6" };
}

interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: AddressFamily;
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (one host); `::ffff:a.b.c.d/n` as IPv4. */
export function parseCidr(entry: string): Cidr | undefined {
  const [address, prefixText, extra] = entry.trim().split("/");
  if (extra !== undefined) return undefined;
  const version = isIP(address ?? "");
  if (!address || version === 0) return undefined;
  const family: AddressFamily = version === 4 ? "ipv4" : "ipv6";
  const max = family === "ipv4" ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  const mapped = family === "ipv6" ? mappedIPv4(hextets(address.toLowerCase())) : undefined;
  if (mapped && prefix >= 96) return { address: mapped, prefix: prefix - 96, family: "ipv4" };
  return { address, prefix, family };
}

/** The proxies whose X-Forwarded-For entries are believed (TRUSTED_PROXIES). */
export function trustedProxyList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of cidrs) {
    const cidr = parseCidr(entry);
    if (!cidr) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list;
}

const UNKNOWN = "unknown";

/**
 * The address a request came from. X-Forwarded-For is read from the right, one hop at a time, and
 * only while the hop that wrote the entry is a trusted proxy: the socket's peer first, then each
 * address a trusted proxy reported. The first untrusted address is the client; anything left of it
 * was written by the client and is ignored. A malformed entry stops the walk at the last good
 * address. No socket address (a closed socket) → "unknown".
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: BlockList,
): string {
  let current = parseAddress(socketAddress);
  if (!current) return UNKNOWN;
  const header = typeof forwardedFor === "string" ? forwardedFor : (forwardedFor ?? []).join(",");
  const hops = header
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  while (hops.length > 0 && trustedProxies.check(current.address, current.family)) {
    const next = parseAddress(hops.pop());
    if (!next) break;
    current = next;
  }
  return current.address;
}

/**
 * The rate-limit subject: the signed-in user, else the client address. IPv6 clients count per /64,
 * the block one subscriber line gets, so rotating addresses inside it does not multiply the limit.
 */
export function subjectFor(who: { userId?: string | null; clientAddress: string }): string {
  if (who.userId) return `user:${who.userId}`;
  const parsed = parseAddress(who.clientAddress);
  if (parsed?.family === "ipv6") {
    const prefix = hextets(parsed.address)
      .slice(0, 4)
      .map((h) => h.toString(16))
      .join(":");
    return `ip6:${prefix}::/64`;
  }
  return `ip:${parsed?.address ?? who.clientAddress}`;
}
