import { generateSigningKeyPair, importSigningKey, signAccessToken } from "@urr/auth-tokens";
import {
  atExpiry,
  checkOrigin,
  credentialExpiry,
  operationRequestId,
  socketCredentials,
} from "../src/subscriptions/socket-security.ts";

const ALLOWED = ["https://app.urr.test"];

describe("the socket's Origin rule", () => {
  it("allows listed origins exactly, refuses others, and tells a missing Origin apart", () => {
    expect(checkOrigin("https://app.urr.test", ALLOWED)).toBe("allowed");
    expect(checkOrigin("https://app.urr.test.evil.example", ALLOWED)).toBe("refused");
    expect(checkOrigin("null", ALLOWED)).toBe("refused"); // sandboxed iframes, file: pages
    expect(checkOrigin(undefined, ALLOWED)).toBe("absent");
  });

  it("allows the gateway's own origin (a page it served, the schema explorer) and no look-alike", () => {
    const host = "127.0.0.1:4000";
    expect(checkOrigin("http://127.0.0.1:4000", ALLOWED, host)).toBe("allowed");
    expect(checkOrigin("https://api.urr.test", ALLOWED, "api.urr.test")).toBe("allowed");
    expect(checkOrigin("http://127.0.0.1:4001", ALLOWED, host)).toBe("refused");
    expect(checkOrigin("http://127.0.0.1:4000.evil.example", ALLOWED, host)).toBe("refused");
    expect(checkOrigin("http://evil.example", ALLOWED, host)).toBe("refused");
    expect(checkOrigin("http://127.0.0.1:4000", ALLOWED)).toBe("refused"); // no Host: no same origin
  });

  it("reads the access cookie only for an allowed origin; the bearer token always", () => {
    const cookie = "theme=dark; urr_access=abc.def.ghi; urr_refresh=r";
    const params = { authorization: "Bearer tok" };
    expect(socketCredentials("allowed", cookie, params)).toEqual({
      authorization: "Bearer tok",
      accessCookie: "abc.def.ghi",
    });
    expect(socketCredentials("absent", cookie, {})).toEqual({
      authorization: undefined,
      accessCookie: undefined,
    });
    expect(socketCredentials("absent", cookie, { accessToken: "t2" }).authorization).toBe("Bearer t2");
    expect(socketCredentials("allowed", "urr_access=%E0%A4%A", undefined).accessCookie).toBeUndefined();
  });
});

describe("the socket's access-token expiry", () => {
  it("is the exp of the bearer token when one was given, else of the cookie", async () => {
    const key = await importSigningKey((await generateSigningKeyPair()).privateKeyPem);
    const subject = { userId: "u1", email: "u@urr.test", role: "USER" } as const;
    const bearer = await signAccessToken(subject, key, 60);
    const cookie = await signAccessToken(subject, key, 600);
    expect(credentialExpiry({ authorization: `Bearer ${bearer.token}`, accessCookie: cookie.token })).toBe(
      bearer.expiresAt.getTime(),
    );
    expect(credentialExpiry({ authorization: undefined, accessCookie: cookie.token })).toBe(
      cookie.expiresAt.getTime(),
    );
    expect(credentialExpiry({ authorization: undefined, accessCookie: undefined })).toBeUndefined();
  });

  it("fires once the expiry has passed, re-arming past setTimeout's longest delay", () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const expire = jest.fn();
      const farAway = 2 ** 31 + 5_000; // beyond the ~24.8-day limit of one timer
      atExpiry(farAway, expire, Date.now);
      jest.advanceTimersByTime(2 ** 31 - 1);
      expect(expire).not.toHaveBeenCalled();
      jest.advanceTimersByTime(5_001);
      expect(expire).toHaveBeenCalledTimes(1);

      const cancelled = jest.fn();
      atExpiry(Date.now() + 1_000, cancelled, Date.now)();
      jest.advanceTimersByTime(2_000);
      expect(cancelled).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("request ids of socket operations", () => {
  it("keeps a well-formed client id and replaces a malformed one", () => {
    expect(operationRequestId({ "x-request-id": "client-req-0001" })).toBe("client-req-0001");
    const injected = operationRequestId({ "x-request-id": "a\r\nx-urr-context: forged" });
    expect(injected).toMatch(/^[0-9a-f-]{36}$/);
    expect(operationRequestId({ "x-request-id": "x".repeat(65) })).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives every operation its own id when the client sends none", () => {
    expect(operationRequestId(undefined)).not.toBe(operationRequestId({}));
  });
});
