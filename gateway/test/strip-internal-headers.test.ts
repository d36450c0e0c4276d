import type { Request, Response } from "express";
import { stripInternalHeaders } from "../src/strip-internal-headers.ts";

describe("stripInternalHeaders", () => {
  it("removes identity headers a client tries to set, and keeps the rest", () => {
    const req = {
      headers: {
        "x-user-id": "admin",
        "x-user-role": "ADMIN",
        "x-urr-context": "forged",
        authorization: "Bearer t",
        "content-type": "application/json",
      },
    } as unknown as Request;
    const next = jest.fn();
    stripInternalHeaders(req, {} as Response, next);
    expect(req.headers).toEqual({ authorization: "Bearer t", "content-type": "application/json" });
    expect(next).toHaveBeenCalled();
  });
});
