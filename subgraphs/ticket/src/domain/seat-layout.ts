import { BadUserInputError } from "@urr/errors";
import { z } from "zod";
import type { NewSeat } from "../repositories/seat.repository.ts";
import type { LayoutDefinition } from "./records.ts";

/** The shape an admin sends to define a venue plan; validated before anything is stored. */
export const layoutDefinitionSchema = z
  .object({
    priceTiers: z
      .array(z.object({ name: z.string().min(1).max(50), price: z.number().int().min(0).max(100_000_000) }))
      .min(1)
      .max(20),
    sections: z
      .array(
        z.object({
          name: z.string().min(1).max(50),
          priceTier: z.string().min(1).max(50),
          x: z.number().finite(),
          y: z.number().finite(),
          rows: z
            .array(z.object({ label: z.string().min(1).max(10), seats: z.number().int().min(1).max(200) }))
            .min(1)
            .max(100),
        }),
      )
      .min(1)
      .max(50),
  })
  .superRefine((layout, ctx) => {
    const tiers = new Set(layout.priceTiers.map((t) => t.name));
    if (tiers.size !== layout.priceTiers.length)
      ctx.addIssue({ code: "custom", message: "price tier names must be unique", path: ["priceTiers"] });
    const sections = new Set(layout.sections.map((s) => s.name));
    if (sections.size !== layout.sections.length)
      ctx.addIssue({ code: "custom", message: "section names must be unique", path: ["sections"] });
    layout.sections.forEach((section, i) => {
      if (!tiers.has(section.priceTier))
        ctx.addIssue({
          code: "custom",
          message: `unknown price tier ${section.priceTier}`,
          path: ["sections", i, "priceTier"],
        });
      const rows = new Set(section.rows.map((r) => r.label));
      if (rows.size !== section.rows.length)
        ctx.addIssue({ code: "custom", message: "row labels must be unique", path: ["sections", i, "rows"] });
    });
    const total = layout.sections.reduce((sum, s) => sum + s.rows.reduce((n, r) => n + r.seats, 0), 0);
    if (total > 50_000)
      ctx.addIssue({ code: "custom", message: "a layout holds at most 50,000 seats", path: ["sections"] });
  });

export function parseLayout(input: unknown, field = "input.definition"): LayoutDefinition {
  const result = layoutDefinitionSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadUserInputError(
      `Invalid layout: ${issue?.message}`,
      `${field}.${issue?.path.join(".") ?? ""}`.replace(/\.$/, ""),
    );
  }
  return result.data;
}

/** Seat spacing in layout units; the front end scales. */
const SPACING = 1;

/** Every seat of a layout for one event, with drawing coordinates and the tier's price. */
export function seatsFromLayout(eventId: string, layout: LayoutDefinition): NewSeat[] {
  const price = new Map(layout.priceTiers.map((t) => [t.name, t.price]));
  return layout.sections.flatMap((section) =>
    section.rows.flatMap((row, rowIndex) =>
      Array.from({ length: row.seats }, (_, i) => ({
        eventId,
        section: section.name,
        rowLabel: row.label,
        rowIndex,
        number: i + 1,
        label: `${section.name}-${row.label}-${i + 1}`,
        priceTier: section.priceTier,
        price: price.get(section.priceTier) ?? 0,
        x: section.x + i * SPACING,
        y: section.y + rowIndex * SPACING,
      })),
    ),
  );
}
