/**
 * Benchmarks' pictures: a figure of stacked panels (line charts of a metric over a run, grouped bar
 * charts of cases against their baseline), with a title and the run's context as text. Plain SVG —
 * no scripts, no external fonts, a white background — so GitHub and any browser show it as is, and
 * dependency-free: a few hundred lines are cheaper than a charting library and its updates.
 */

/** An axis's name and unit, written as "name (unit)". */
export interface Axis {
  label: string;
  unit: string;
}

/** A metric over a run: each series is drawn as a line; a null y breaks it (a gap in the run). */
export interface LineChart {
  kind: "line";
  title: string;
  x: Axis;
  y: Axis;
  series: readonly {
    name: string;
    points: readonly { x: number; y: number | null }[];
    /** Drawn dashed: the baseline beside the service. */
    baseline?: boolean;
    /** A palette index, to give a case the same colour in every panel (default: its position). */
    colour?: number;
  }[];
}

/** Cases side by side: one group per case, one bar per series in each group. */
export interface BarChart {
  kind: "bar";
  title: string;
  y: Axis;
  groups: readonly string[];
  series: readonly { name: string; values: readonly number[]; baseline?: boolean; colour?: number }[];
  /** Per group, a line under its label (a ratio against the baseline, say). */
  notes?: readonly string[];
}

export type Panel = LineChart | BarChart;

export interface Figure {
  title: string;
  /** Lines under the title: machine, date, the ratio against the baseline. */
  context: readonly string[];
  panels: readonly Panel[];
}

const WIDTH = 760;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 68, right: 20, top: 50, bottom: 40 };
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
/** Okabe–Ito: told apart with the common colour-vision deficiencies. */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
/** A rough width of one character at 11 px, for wrapping labels without measuring text. */
const CHAR_PX = 6.2;

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`,
  );
}

/** Ticks at 1, 2 or 5 × 10^k covering [min, max] in about `count` steps; the first ≤ min, the last ≥ max. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min));
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = first; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** 1234 → "1.2k", 0.25 → "0.25": short tick and value labels. */
export function formatNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((n / 1e3).toPrecision(3))}k`;
  if (abs >= 100 || abs === 0) return String(Math.round(n));
  return String(Number(n.toPrecision(2)));
}

const colourOf = (series: { colour?: number }, index: number) =>
  PALETTE[(series.colour ?? index) % PALETTE.length];

const axisTitle = (a: Axis) => (a.unit ? `${a.label} (${a.unit})` : a.label);

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${round(x)}" y="${round(y)}"${attrs ? ` ${attrs}` : ""}>${escapeXml(content)}</text>`;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Words into lines of at most `max` characters (a word longer than that gets a line of its own). */
function wrap(label: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const labelChars = (groupWidth: number) => Math.max(6, Math.floor(groupWidth / CHAR_PX));

interface Frame {
  top: number;
  left: number;
  width: number;
  height: number;
}

/** The legend above the plot area: a swatch and a name per series, wrapping to further rows. */
function legend(
  series: readonly { name: string; baseline?: boolean; colour?: number }[],
  frame: Frame,
  line: boolean,
): string {
  const parts: string[] = [];
  let x = frame.left;
  let y = frame.top - 12 - legendRows(series) * 14 + 14;
  series.forEach((s, i) => {
    const width = 36 + s.name.length * CHAR_PX;
    if (x + width > frame.left + frame.width && x > frame.left) {
      x = frame.left;
      y += 14;
    }
    const colour = colourOf(s, i);
    parts.push(
      line
        ? `<line x1="${round(x)}" y1="${round(y - 4)}" x2="${round(x + 16)}" y2="${round(y - 4)}" stroke="${colour}" stroke-width="2.5"${s.baseline ? ' stroke-dasharray="5 3"' : ""}/>`
        : `<rect x="${round(x)}" y="${round(y - 9)}" width="12" height="10" fill="${colour}"${s.baseline ? ' fill-opacity="0.45"' : ""}/>`,
      text(x + 20, y, s.name),
    );
    x += width;
  });
  return parts.join("");
}

/** Horizontal grid lines with labels on the left, and the y axis's title. */
function yAxis(ticks: number[], scale: (v: number) => number, frame: Frame, axis: Axis): string {
  const parts = ticks.map(
    (t) =>
      `<line x1="${frame.left}" y1="${round(scale(t))}" x2="${frame.left + frame.width}" y2="${round(scale(t))}" stroke="#e3e3e3"/>` +
      text(frame.left - 6, scale(t) + 4, formatNumber(t), 'text-anchor="end"'),
  );
  const cy = frame.top + frame.height / 2;
  parts.push(text(16, cy, axisTitle(axis), `text-anchor="middle" transform="rotate(-90 16 ${round(cy)})"`));
  return parts.join("");
}

function frameLines(frame: Frame): string {
  const bottom = frame.top + frame.height;
  return `<path d="M${frame.left} ${frame.top}V${bottom}H${frame.left + frame.width}" fill="none" stroke="#555"/>`;
}

function linePanel(chart: LineChart, frame: Frame): string {
  const points = chart.series.flatMap((s) => s.points);
  const ys = points.flatMap((p) => (p.y === null || !Number.isFinite(p.y) ? [] : [p.y]));
  const xs = points.map((p) => p.x);
  const yTicks = niceTicks(0, Math.max(0, ...ys));
  const xTicks = niceTicks(Math.min(...xs, 0), Math.max(...xs, 1), 8);
  const [x0, x1] = [xTicks[0] ?? 0, xTicks.at(-1) ?? 1];
  const yMax = yTicks.at(-1) ?? 1;
  const sx = (v: number) => frame.left + ((v - x0) / (x1 - x0)) * frame.width;
  const sy = (v: number) => frame.top + frame.height - (v / yMax) * frame.height;
  const bottom = frame.top + frame.height;
  const parts = [yAxis(yTicks, sy, frame, chart.y)];
  for (const t of xTicks) {
    parts.push(
      `<line x1="${round(sx(t))}" y1="${bottom}" x2="${round(sx(t))}" y2="${bottom + 4}" stroke="#555"/>`,
      text(sx(t), bottom + 16, formatNumber(t), 'text-anchor="middle"'),
    );
  }
  parts.push(text(frame.left + frame.width / 2, bottom + 32, axisTitle(chart.x), 'text-anchor="middle"'));
  chart.series.forEach((s, i) => {
    // A null or non-finite y ends a segment: rounds that alternate leave gaps, not false slopes.
    let d = "";
    let pen = "M";
    for (const p of s.points) {
      if (p.y === null || !Number.isFinite(p.y)) {
        pen = "M";
        continue;
      }
      d += `${pen}${round(sx(p.x))} ${round(sy(p.y))}`;
      pen = "L";
    }
    if (d)
      parts.push(
        `<path class="series" d="${d}" fill="none" stroke="${colourOf(s, i)}" stroke-width="2" stroke-linejoin="round"${s.baseline ? ' stroke-dasharray="5 3"' : ""}/>`,
      );
  });
  parts.push(frameLines(frame), legend(chart.series, frame, true));
  return parts.join("");
}

function barPanel(chart: BarChart, frame: Frame): string {
  const values = chart.series.flatMap((s) => s.values.filter(Number.isFinite));
  const yTicks = niceTicks(0, Math.max(0, ...values));
  const yMax = yTicks.at(-1) ?? 1;
  const sy = (v: number) => frame.top + frame.height - (v / yMax) * frame.height;
  const bottom = frame.top + frame.height;
  const groupWidth = frame.width / Math.max(1, chart.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, chart.series.length);
  // Notes share one row under the longest label, so ratios read across.
  const labelLines = Math.max(1, ...chart.groups.map((g) => wrap(g, labelChars(groupWidth)).length));
  const parts = [yAxis(yTicks, sy, frame, chart.y)];
  chart.groups.forEach((group, g) => {
    const left = frame.left + g * groupWidth + groupWidth * 0.1;
    chart.series.forEach((s, i) => {
      const v = s.values[g];
      if (v === undefined || !Number.isFinite(v)) return;
      const x = left + i * barWidth;
      parts.push(
        `<rect class="bar" x="${round(x)}" y="${round(sy(v))}" width="${round(barWidth - 1)}" height="${round(bottom - sy(v))}" fill="${colourOf(s, i)}"${s.baseline ? ' fill-opacity="0.45"' : ""}><title>${escapeXml(`${group}, ${s.name}: ${formatNumber(v)} ${chart.y.unit}`)}</title></rect>`,
      );
      if (barWidth >= 22)
        parts.push(text(x + barWidth / 2, sy(v) - 3, formatNumber(v), 'text-anchor="middle" font-size="9"'));
    });
    const centre = frame.left + (g + 0.5) * groupWidth;
    const lines = wrap(group, labelChars(groupWidth));
    lines.forEach((line, l) => {
      parts.push(text(centre, bottom + 14 + l * 12, line, 'text-anchor="middle"'));
    });
    const note = chart.notes?.[g];
    if (note)
      parts.push(text(centre, bottom + 14 + labelLines * 12, note, 'text-anchor="middle" fill="#666"'));
  });
  parts.push(frameLines(frame), legend(chart.series, frame, false));
  return parts.join("");
}

/** Room under a bar panel's plot area for its wrapped group labels and notes. */
function bottomRoom(panel: Panel): number {
  if (panel.kind === "line") return MARGIN.bottom;
  const groupWidth = (WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, panel.groups.length);
  const lines = Math.max(...panel.groups.map((g) => wrap(g, labelChars(groupWidth)).length));
  return 10 + (lines + (panel.notes?.length ? 1 : 0)) * 12;
}

/** How many rows a legend takes: it wraps when the names do not fit one line. */
function legendRows(series: readonly { name: string }[]): number {
  let rows = 1;
  let x = 0;
  for (const s of series) {
    const width = 36 + s.name.length * CHAR_PX;
    if (x + width > WIDTH - MARGIN.left - MARGIN.right && x > 0) {
      rows++;
      x = 0;
    }
    x += width;
  }
  return rows;
}

export function renderFigure(figure: Figure): string {
  const header = 30 + figure.context.length * 16;
  const parts: string[] = [
    text(MARGIN.left - 48, 24, figure.title, 'font-size="16" font-weight="bold"'),
    ...figure.context.map((line, i) => text(MARGIN.left - 48, 44 + i * 16, line, 'fill="#555"')),
  ];
  let top = header;
  for (const panel of figure.panels) {
    const frame: Frame = {
      top: top + MARGIN.top + (legendRows(panel.series) - 1) * 14,
      left: MARGIN.left,
      width: WIDTH - MARGIN.left - MARGIN.right,
      height: PANEL_HEIGHT - MARGIN.top - MARGIN.bottom,
    };
    parts.push(
      `<g class="panel">`,
      text(MARGIN.left - 48, top + 18, panel.title, 'font-size="13" font-weight="bold"'),
      panel.kind === "line" ? linePanel(panel, frame) : barPanel(panel, frame),
      "</g>",
    );
    top = frame.top + frame.height + bottomRoom(panel) + 8;
  }
  const height = Math.ceil(top + 8);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" font-size="11" fill="#222">`,
    `<title>${escapeXml(figure.title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    "</svg>\n",
  ].join("\n");
}
