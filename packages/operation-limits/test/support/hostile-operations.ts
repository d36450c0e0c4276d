/**
 * The heavy operations issue 11 saw close the gateway when sent once, anonymously, as text: the
 * same builders serve the unit test (verdicts) and the benchmark (timings).
 */

/** `artist { events { edges { node { artist { events … } } } } }` down to `depth` fields. */
export function deepNesting(depth: number): string {
  const cycle = ["artist", "events", "edges", "node"];
  let inner = "id";
  for (let level = depth - 1; level >= 1; level -= 1) {
    const field = cycle[(level - 1) % cycle.length];
    inner =
      level === 1
        ? `artist(id: "00000000-0000-0000-0000-000000000000") { ${inner} }`
        : `${field} { ${inner} }`;
  }
  return `query Deep { ${inner} }`;
}

/** `count` aliases of a nested list field with a computed field below it. */
export function manyAliases(count: number): string {
  const fields = Array.from(
    { length: count },
    (_, i) => `a${i}: events(first: 20) { edges { node { id availability { available held } } } }`,
  );
  return `query Aliases { ${fields.join(" ")} }`;
}

/** One field repeated `count` times in one selection set. */
export function repeatedField(count: number): string {
  return `query Repeated { events { edges { node { ${"title ".repeat(count)}} } } }`;
}

/** Fragments that each spread the previous one twice: 2^levels selections from a few lines. */
export function fragmentBomb(levels: number): string {
  const fragments = ["fragment F0 on Event { id title }"];
  for (let i = 1; i <= levels; i += 1)
    fragments.push(`fragment F${i} on Event { ...F${i - 1} ... on Event { ...F${i - 1} } }`);
  return `query Bomb { events { edges { node { ...F${levels} } } } } ${fragments.join(" ")}`;
}
