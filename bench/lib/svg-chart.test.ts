import { Timeline } from "./load.ts";
import {
  type BarChart,
  escapeXml,
  type Figure,
  type LineChart,
  niceTicks,
  renderFigure,
} from "./svg-chart.ts";

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Character data with its entities resolved; a bare `&` or an unknown entity is not XML. */
function resolveEntities(raw: string): string {
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    const value = ENTITIES[name];
    if (value === undefined || !whole.endsWith(";")) throw new Error(`bad entity ${whole}`);
    return value;
  });
}

/**
 * A strict reader of the XML subset the writer emits (elements, double-quoted attributes, text):
 * anything else, an unclosed or mismatched tag, a stray `<` or a second root throws. No XML parser
 * is installed and the writer's output is small enough to check exactly.
 */
function parseXml(xml: string): Element {
  const root: Element = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of xml.matchAll(token)) {
    const [, closing, name, attrText, selfClosing, chars, stray] = m;
    const top = stack.at(-1) as Element;
    if (stray) throw new Error(`stray < at ${m.index}`);
    if (chars !== undefined) {
      if (top === root && chars.trim()) throw new Error(`text outside the root: ${chars.slice(0, 20)}`);
      top.text += resolveEntities(chars);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(/([\w:.-]+)="([^"]*)"/g)) {
        if ((a[1] as string) in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1] as string] = resolveEntities(a[2] ?? "");
      }
      const element: Element = { name: name as string, attrs, children: [], text: "" };
      if (top === root && root.children.length > 0) throw new Error("a second root element");
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  const [svg] = root.children;
  if (!svg) throw new Error("no root element");
  return svg;
}

function all(element: Element, predicate: (e: Element) => boolean): Element[] {
  return [...(predicate(element) ? [element] : []), ...element.children.flatMap((c) => all(c, predicate))];
}

const texts = (svg: Element) => all(svg, (e) => e.name === "text").map((e) => e.text);

const line: LineChart = {
  kind: "line",
  title: "latency over the run",
  x: { label: "time", unit: "s" },
  y: { label: "latency", unit: "ms" },
  series: [
    { name: "gateway p50", points: [1, 2, 3].map((x) => ({ x, y: x * 10 })) },
    { name: "gateway p99", points: [1, 2, 3].map((x) => ({ x, y: x * 29 })) },
    // A gap: the second round of an alternating run.
    { name: "direct p99", baseline: true, points: [1, 2, 3, 4].map((x) => ({ x, y: x === 2 ? null : 5 })) },
  ],
};

const bars: BarChart = {
  kind: "bar",
  title: "p50 and p99",
  y: { label: "latency", unit: "ms" },
  groups: ["through the gateway", "direct"],
  series: [
    { name: "p50", values: [50, 25] },
    { name: "p99", values: [100, 87] },
  ],
  notes: ["× 2.00", ""],
};

const figure = (panels: Figure["panels"], title = "gateway overhead"): Figure => ({
  title,
  context: ["2 cores · load average 1.00"],
  panels,
});

describe("the benchmarks' SVG writer", () => {
  it("writes well-formed SVG without scripts or anything fetched from elsewhere", () => {
    const xml = renderFigure(figure([line, bars]));
    const svg = parseXml(xml);
    expect(svg.name).toBe("svg");
    expect(svg.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(all(svg, (e) => e.name === "script" || e.name === "image" || e.name === "foreignObject")).toEqual(
      [],
    );
    expect(xml).not.toMatch(/href|url\(|@import|on[a-z]+=/i);
    expect(all(svg, (e) => e.attrs.class === "panel")).toHaveLength(2);
    // The reader itself refuses what is not XML.
    expect(() => parseXml("<svg><g></svg>")).toThrow(/closes/);
    expect(() => parseXml("<svg>a & b</svg>")).toThrow(/entity/);
  });

  it("draws a line per series and breaks it where a value is missing", () => {
    const svg = parseXml(renderFigure(figure([line])));
    const paths = all(svg, (e) => e.attrs.class === "series");
    expect(paths).toHaveLength(3);
    expect(paths[2]?.attrs.d?.match(/M/g)).toHaveLength(2);
    expect(paths[2]?.attrs["stroke-dasharray"]).toBeDefined();
    expect(texts(svg)).toEqual(expect.arrayContaining(["gateway p50", "gateway p99", "direct p99"]));
    expect(texts(svg)).toEqual(expect.arrayContaining(["time (s)", "latency (ms)"]));
  });

  it("scales bars from zero to a round top tick, in the axis's unit", () => {
    const svg = parseXml(renderFigure(figure([bars])));
    const rects = all(svg, (e) => e.attrs.class === "bar");
    expect(rects).toHaveLength(4);
    const height = (value: number) =>
      Number(rects.find((r) => r.children[0]?.text.endsWith(`: ${value} ms`))?.attrs.height);
    expect(height(100) / height(50)).toBeCloseTo(2, 1);
    expect(height(50) / height(25)).toBeCloseTo(2, 1);
    // The largest value, 100, is the top tick: its bar reaches the top grid line.
    expect(texts(svg)).toEqual(expect.arrayContaining(["0", "20", "100"]));
    const grid = all(svg, (e) => e.name === "line" && e.attrs.stroke === "#e3e3e3").map((l) =>
      Number(l.attrs.y1),
    );
    const top = rects.find((r) => r.children[0]?.text.endsWith(": 100 ms"));
    expect(Number(top?.attrs.y)).toBeCloseTo(Math.min(...grid), 0);
    expect(Number(top?.attrs.y) + height(100)).toBeCloseTo(Math.max(...grid), 0);
    expect(texts(svg)).toContain("× 2.00");
  });

  it("escapes text: titles, series names and labels reach the reader as written", () => {
    const hostile = `p99 < 5 ms & "ratio" > 'x'`;
    const xml = renderFigure(
      figure([{ ...bars, groups: [hostile, "b"], series: [{ name: hostile, values: [1, 2] }] }], hostile),
    );
    const svg = parseXml(xml);
    expect(all(svg, (e) => e.name === "title")[0]?.text).toBe(hostile);
    expect(texts(svg)).toContain(hostile);
    expect(escapeXml(hostile)).toBe("p99 &lt; 5 ms &amp; &quot;ratio&quot; &gt; &apos;x&apos;");
  });

  it("picks ticks of 1, 2 or 5 times a power of ten that cover the data", () => {
    expect(niceTicks(0, 87)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, 4800)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe("a run's timeline", () => {
  it("buckets requests by the second they finished in, scaling a short last second", () => {
    const timeline = new Timeline(0);
    for (const [latency, at] of [
      [5, 100],
      [7, 900],
      [40, 1500],
      [9, 2700],
      [1, 2950],
    ] as const)
      timeline.record(latency, latency !== 40, at);
    const intervals = timeline.intervals(2800);
    expect(intervals.map((i) => [i.endSeconds, i.requests, i.errors])).toEqual([
      [1, 2, 0],
      [2, 1, 1],
      [2.8, 2, 0],
    ]);
    expect(intervals[0]?.p99).toBe(7);
    expect(intervals[2]?.throughput).toBeCloseTo(2 / 0.8);
    // Under half a second left at the end: dropped rather than drawn as a collapse.
    expect(timeline.intervals(2300)).toHaveLength(2);
  });
});
