import { z } from 'zod';

/** Date as `YYYY-MM-DD` (wall clock, inclusive). */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * The common filters every metric takes (ARCHITECTURE §5). Dates are wall-clock days, inclusive.
 * `members` keeps only those members' messages; `exclude` drops listed members (bots, admins).
 */
export const FiltersSchema = z
  .object({
    groups: z.array(z.number().int().nonnegative()).max(64).optional(),
    from: day.optional(),
    to: day.optional(),
    members: z.array(z.number().int().nonnegative()).max(10_000).optional(),
    exclude: z.array(z.number().int().nonnegative()).max(10_000).optional(),
  })
  .strict();

export type Filters = z.infer<typeof FiltersSchema>;

export const NO_FILTERS: Filters = {};
