/**
 * Label values that stay few. Operation names are chosen by clients, so only names the server
 * knows (registered documents) are kept as they are; error codes are ours, and anything that does
 * not look like one is folded into OTHER.
 */
export class OperationNames {
  private readonly known: ReadonlySet<string>;

  constructor(known: Iterable<string>) {
    this.known = new Set(known);
  }

  /** `anonymous` when the client named none, `other` when it is not a name the server knows. */
  label(name: string | null | undefined): string {
    if (!name) return "anonymous";
    return this.known.has(name) ? name : "other";
  }

  get size(): number {
    return this.known.size;
  }
}

const CODE = /^[A-Z][A-Z0-9_]{0,47}$/;

/** An error code as a label: one of ours (`SEATS_TAKEN`-like), else OTHER. */
export function codeLabel(code: unknown): string {
  return typeof code === "string" && CODE.test(code) ? code : "OTHER";
}

/** The codes of a GraphQL response's errors (each once, INTERNAL_SERVER_ERROR for an uncoded one). */
export function errorCodes(
  errors: readonly { extensions?: Record<string, unknown> | undefined }[] | undefined,
): string[] {
  if (!errors?.length) return [];
  return [...new Set(errors.map((e) => codeLabel(e.extensions?.code ?? "INTERNAL_SERVER_ERROR")))];
}
