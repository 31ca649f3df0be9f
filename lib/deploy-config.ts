import { z } from 'zod';

/**
 * Deployment settings read from cdk.json context, overridable per deploy with
 * `-c key=value`. Values given on the command line arrive as strings, so numbers are
 * coerced and lists accept either a JSON array or a comma-separated string.
 */

export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
}

/** Keys read from context; docs/deploy.md documents each one. */
export const CONTEXT_KEYS = [
  'stage',
  'district',
  'scheduleCron',
  'scheduleTimezone',
  'checkCron',
  'archiveRetentionYears',
  'logRetentionDays',
  'leaderEmails',
  'ownerEmail',
  'senderEmail',
  'departments',
  'bulletinMemoryMb',
  'bulletinTimeoutSeconds',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

const stringList = z.preprocess((value) => {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) return JSON.parse(text);
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return value;
}, z.array(z.string()));

const email = z.email();
const optionalEmail = z.preprocess((v) => (v === '' || v === null ? undefined : v), email.optional());

// CloudWatch Logs accepts only these retention values.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const deployConfigSchema = z.object({
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,15}$/, 'stage: lower-case letters, digits and dashes, at most 16 characters'),
  district: z.string().min(1),
  scheduleCron: z.string().regex(/^cron\(.+\)$/, 'scheduleCron must look like cron(0 * * * ? *)'),
  scheduleTimezone: z.string().min(1),
  /**
   * When the "no bulletin yet" check runs: daily at 10:00 by default; it looks at the newest
   * month whose bulletin day (the catalog's rule on the official calendar) has passed.
   */
  checkCron: z
    .string()
    .regex(/^cron\(.+\)$/)
    .default('cron(0 10 * * ? *)'),
  archiveRetentionYears: z.coerce.number().int().min(1).max(100),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    }),
  leaderEmails: stringList.pipe(z.array(email)),
  ownerEmail: optionalEmail,
  /**
   * Required: without a verified SES sender no bulletin, department slice or reminder can be
   * mailed, so a deploy that would silently never deliver is refused at synth instead.
   */
  senderEmail: z.preprocess(
    (v) => (v === null ? '' : v),
    z
      .string()
      .min(
        1,
        'senderEmail is required: the SES-verified address bulletins and reminders are sent from (cdk deploy -c senderEmail=duban@example.gov.cn)',
      )
      .pipe(z.email('senderEmail must be an e-mail address verified in SES')),
  ),
  /** Department ids that get an upload role (incoming/<dept>/ only). */
  departments: stringList.pipe(
    z.array(z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'department ids: letters, digits and dashes')),
  ),
  // 1600 MB is the floor @sparticuz/chromium recommends; 2048 MB buys more CPU for the PDF.
  bulletinMemoryMb: z.coerce.number().int().min(1600).max(10240).default(2048),
  bulletinTimeoutSeconds: z.coerce.number().int().min(30).max(900).default(120),
});

export type DeployConfig = z.infer<typeof deployConfigSchema>;

/** Parses context values (as returned by `node.tryGetContext`) into a checked config. */
export function parseDeployConfig(read: (key: ContextKey) => unknown): DeployConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value = read(key);
    if (value !== undefined) raw[key] = value;
  }
  let result: ReturnType<typeof deployConfigSchema.safeParse>;
  try {
    result = deployConfigSchema.safeParse(raw);
  } catch (error) {
    // JSON.parse inside a list preprocessor throws rather than reporting an issue.
    throw new DeployConfigError(`invalid cdk context: ${(error as Error).message}`);
  }
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  -c ${i.path.join('.')}: ${i.message}`);
    throw new DeployConfigError(`invalid cdk context:\n${lines.join('\n')}`);
  }
  return result.data;
}
