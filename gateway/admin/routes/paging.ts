import { z } from 'zod';

/** `?limit=&offset=` on list endpoints: bounded, so a page never loads a whole table. */
export const paging = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};
