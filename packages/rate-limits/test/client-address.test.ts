import { clientAddress, parseAddress, parseCidr, subjectFor, trustedProxyList } from "../src/index.ts";

const proxies = trustedProxyList(["10.0.0.0/8", "fd00::/8", "127.0.0.1"]);
const none = trustedProxyList([]);

describe("clientAddress", () => {
  const cases: [string, string | undefined, string | string[] | undefined, string][] = [
    ["no proxy: the socket's peer, whatever the header says", "203.0.113.7", "198.51.100.1", "203.0.113.7"],
    ["through a trusted proxy: the address it reports", "10.0.0.5", "203.0.113.7", "203.0.113.7"],
    [
      "a client's own X-Forwarded-For entries before the proxy's are ignored",
      "10.0.0.5",
      "1.1.1.1, 8.8.8.8, 203.0.113.7",
      "203.0.113.7",
    ],
    [
      "a chain of trusted proxies is walked hop by hop",
      "10.0.0.5",
      "203.0.113.7, 10.1.2.3, 10.9.9.9",
      "203.0.113.7",
    ],
    [
      "the walk stops at the first untrusted hop, even if trusted ones lie before it",
      "10.0.0.5",
      "10.0.0.1, 198.51.100.2, 10.3.3.3",
      "198.51.100.2",
    ],
    ["a trusted proxy without the header: the proxy itself", "10.0.0.5", undefined, "10.0.0.5"],
    ["repeated headers count as one list", "10.0.0.5", ["9.9.9.9", "203.0.113.7"], "203.0.113.7"],
    [
      "a malformed entry stops the walk at the last good address",
      "10.0.0.5",
      "203.0.113.7, not-an-ip",
      "10.0.0.5",
    ],
    [
      "IPv4-mapped socket addresses are IPv4 (and trusted as such)",
      "::ffff:10.0.0.5",
      "203.0.113.7",
      "203.0.113.7",
    ],
    ["IPv6 proxies and clients", "fd00::1", "2001:db8:abcd:12::1", "2001:db8:abcd:12::1"],
    ["an IPv6 client is returned as written, lower case", "2001:DB8::7", undefined, "2001:db8::7"],
    ["ports and brackets in entries are dropped", "127.0.0.1", "[2001:db8::9]:4711", "2001:db8::9"],
    ["an IPv4 entry with a port", "127.0.0.1", "203.0.113.7:51234", "203.0.113.7"],
    ["a mapped address in the header", "127.0.0.1", "::ffff:203.0.113.7", "203.0.113.7"],
    ["no socket address (a closed socket)", undefined, "203.0.113.7", "unknown"],
  ];

  it.each(cases)("%s", (_title, socket, header, expected) => {
    expect(clientAddress(socket, header, proxies)).toBe(expected);
  });

  it("trusts nothing when no proxies are configured (the default)", () => {
    expect(clientAddress("10.0.0.5", "203.0.113.7", none)).toBe("10.0.0.5");
    expect(clientAddress("127.0.0.1", "203.0.113.7", none)).toBe("127.0.0.1");
  });
});

describe("addresses and ranges", () => {
  it("parses the forms sockets and proxies write", () => {
    expect(parseAddress("::ffff:7f00:1")).toEqual({ address: "127.0.0.1", family: "ipv4" });
    expect(parseAddress("fe80::1%eth0")).toEqual({ address: "fe80::1", family: "ipv6" });
    expect(parseAddress("unknown")).toBeUndefined();
    expect(parseAddress("300.1.1.1")).toBeUndefined();
  });

  it("reads CIDR ranges and bare addresses, and refuses anything else", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    expect(parseCidr("::ffff:10.0.0.0/104")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    for (const bad of [
      "10.0.0.0/33",
      "fd00::/129",
      "10.0.0.0/",
      "10.0.0.0/8/1",
      "proxy.internal",
      "10.0.0.0/x",
    ])
      expect(parseCidr(bad)).toBeUndefined();
    expect(() => trustedProxyList(["10.0.0.0/8", "nonsense"])).toThrow(/"nonsense"/);
  });
});

describe("subjectFor", () => {
  it("is the user when signed in, whatever the address", () => {
    expect(subjectFor({ userId: "u-1", clientAddress: "203.0.113.7" })).toBe("user:u-1");
  });

  it("is the address when anonymous; IPv6 counts per /64", () => {
    expect(subjectFor({ userId: null, clientAddress: "203.0.113.7" })).toBe("ip:203.0.113.7");
    expect(subjectFor({ clientAddress: "2001:db8:abcd:12::1" })).toBe("ip6:2001:db8:abcd:12::/64");
    expect(subjectFor({ clientAddress: "2001:0db8:abcd:0012:ffff:1:2:3" })).toBe("ip6:2001:db8:abcd:12::/64");
    expect(subjectFor({ clientAddress: "2001:db8:abcd:13::1" })).not.toBe(
      subjectFor({ clientAddress: "2001:db8:abcd:12::1" }),
    );
    expect(subjectFor({ clientAddress: "unknown" })).toBe("ip:unknown");
  });
});
