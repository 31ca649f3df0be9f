import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { ConfigError } from '../core/errors.ts';
import type { Mailer, MailMessage, SentMail } from '../use-cases/ports/bulletin.ts';
import type { Clock } from '../use-cases/ports/storage.ts';
import { sesClient } from './aws-clients.ts';
import type { DubanConfig } from './config.ts';

/**
 * Notification mail. One composer (nodemailer's MailComposer) builds the RFC 822 message; in
 * AWS it goes out as SESv2 raw email, locally it is written as an .eml file a person can
 * open in any mail client. Either way the bytes are the same.
 */

export const DEFAULT_SENDER = 'duban@localhost';
export const DEFAULT_SENDER_NAME = '督办系统';

/** Who a mail is from and where replies go: configuration, never message content. */
export interface MailIdentity {
  readonly from: string;
  readonly name?: string;
  readonly replyTo?: string;
}

/** A header value on one line: CR, LF and other control characters become one space. */
export function oneLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/**
 * Builds the RFC 822 message. Subject and display name pass through oneLine; attachments are
 * bytes only (file and URL access are off, so no content can make the composer read a path).
 */
export async function compose(
  identity: MailIdentity,
  message: MailMessage,
  date: Date,
): Promise<{ raw: Buffer; messageId: string }> {
  const composer = new MailComposer({
    from: { name: oneLine(identity.name ?? DEFAULT_SENDER_NAME), address: identity.from },
    ...(identity.replyTo ? { replyTo: identity.replyTo } : {}),
    to: [...message.to],
    subject: oneLine(message.subject),
    text: message.text,
    html: message.html,
    attachments: message.attachments?.map((a) => ({
      filename: oneLine(a.filename),
      content: Buffer.from(a.content),
      contentType: a.contentType,
    })),
    date,
    textEncoding: 'base64',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const mail = composer.compile();
  const raw = await mail.build();
  return { raw, messageId: mail.messageId() };
}

/** File name safe on every filesystem: time first so a directory listing reads in order. */
function emlName(date: Date, subject: string, messageId: string): string {
  const stamp = date.toISOString().replace(/[:.]/g, '-');
  const slug = subject.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60);
  const id = messageId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 12);
  return `${stamp}-${slug}-${id}.eml`;
}

export class OutboxMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly identity: MailIdentity,
    private readonly clock: Clock,
  ) {}

  async send(message: MailMessage): Promise<SentMail> {
    const date = this.clock();
    const { raw, messageId } = await compose(this.identity, message, date);
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, emlName(date, message.subject, messageId));
    await writeFile(file, raw, { flag: 'wx' });
    return { messageId, location: file };
  }
}

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly identity: MailIdentity,
    private readonly clock: Clock,
  ) {}

  async send(message: MailMessage): Promise<SentMail> {
    const { raw, messageId } = await compose(this.identity, message, this.clock());
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.identity.from,
        Destination: { ToAddresses: [...message.to] },
        Content: { Raw: { Data: raw } },
      }),
    );
    return { messageId, location: `ses:${out.MessageId ?? messageId}` };
  }
}

/**
 * Outbox when an outbox directory is configured (always the case locally), SES otherwise.
 * A local run without an outbox directory is a configuration error, never a silent send.
 */
export function createMailer(
  config: DubanConfig,
  clock: Clock,
  overrides: { outboxDir?: string } = {},
): Mailer {
  const outboxDir = overrides.outboxDir ?? config.outboxDir;
  const identity = (from: string): MailIdentity => ({
    from,
    name: config.senderName,
    replyTo: config.replyTo,
  });
  if (outboxDir) return new OutboxMailer(outboxDir, identity(config.senderEmail ?? DEFAULT_SENDER), clock);
  if (config.s3Endpoint || config.dynamoEndpoint) {
    throw new ConfigError(
      'local run without an outbox directory: set DUBAN_OUTBOX_DIR (the CLI uses <data>/outbox)',
    );
  }
  if (!config.senderEmail) throw new ConfigError('DUBAN_SENDER_EMAIL is required to send mail through SES');
  return new SesMailer(sesClient(), identity(config.senderEmail), clock);
}
