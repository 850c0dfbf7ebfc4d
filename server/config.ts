import { z } from 'zod';

/** The environment the server reads, parsed once at start so a bad value fails loudly. */
const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  THROUGHLINE_DATA: z.string().min(1).default('.throughline'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Requests per token per minute; 0 turns rate limiting off (benchmarks). */
  THROUGHLINE_RATE_LIMIT: z.coerce.number().int().min(0).default(1200),
  /** Minutes between incremental syncs of every connection (a divisor of 60); 0 schedules none. */
  THROUGHLINE_SYNC_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .refine((n) => n === 0 || 60 % n === 0, 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60) or be 0')
    .default(5),
});

export type ServerEnv = z.infer<typeof Env>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Bad environment: ${problems}`);
  }
  return parsed.data;
}
