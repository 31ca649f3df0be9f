import * as z from 'zod/mini';

/**
 * Who uploaded: the authenticated principal, never a name the uploader merely wrote down.
 *
 * An S3 event names the principal that made the PUT (`userIdentity.principalId`): for an
 * assumed role `AWS:<role unique id>:<session name>`, for an IAM user `AWS:<user unique id>`.
 * The `uploader` metadata on the object is whatever the client sent, so it is believed only when
 * the principal is one that sets it itself on the server side:
 *
 * - the portal (its role is an `uploaderSetter`): the portal writes `uploader` from the logged-in
 *   session, and on AWS pins it in the presigned POST policy, so the browser cannot change it;
 * - the local stand-ins (`local`): they have no authentication at all, so the machine's user is the
 *   trust boundary; the CLI writes the OS user, the local portal its logged-in user.
 *
 * A department's upload role names the person by its session name, which the role's trust policy
 * ties to the caller's own IAM user name. Any other principal is recorded as it is. In every case
 * but the first two, a metadata name that differs is kept only as the declared uploader.
 */

export const IDENTIFIED_BY = ['portal', 'role-session', 'principal', 'local', 'unknown'] as const;
export type IdentifiedBy = (typeof IDENTIFIED_BY)[number];

export interface UploadIdentity {
  /** The authenticated person or program: the audit log's actor. */
  readonly actor: string;
  readonly identifiedBy: IdentifiedBy;
  /** The principal id as the event gave it; null when the event named none. */
  readonly principal: string | null;
  /** The name the upload's metadata declared, when it is not vouched for and differs from the actor. */
  readonly declaredUploader: string | null;
}

/** Which principals ingest believes, and what a department role's session name means. */
export interface UploadTrust {
  /** Role unique ids (AROA…) whose uploads carry an uploader set on the server: the portal's. */
  readonly uploaderSetters: readonly string[];
  /**
   * Department id → the unique id (AROA…) of its upload role. Keyed by department because the
   * stack writes the role ids as deploy-time values, which a JSON key cannot be.
   */
  readonly departmentRoles: Readonly<Record<string, string>>;
  /** The local stand-ins: no authentication, the machine is the trust boundary. */
  readonly local: boolean;
}

export const NO_TRUST: UploadTrust = { uploaderSetters: [], departmentRoles: {}, local: false };

/** As the setting carries it (DUBAN_UPLOAD_TRUST, JSON); every field optional. */
export const uploadTrustSchema = z.object({
  uploaderSetters: z.optional(z.array(z.string())),
  departmentRoles: z.optional(z.record(z.string(), z.string())),
  local: z.optional(z.boolean()),
});

export function uploadTrust(input: z.infer<typeof uploadTrustSchema>): UploadTrust {
  return {
    uploaderSetters: input.uploaderSetters ?? [],
    departmentRoles: input.departmentRoles ?? {},
    local: input.local ?? false,
  };
}

const LOCAL_PRINCIPAL = 'local:';

/** The principal the local stand-ins stamp on their events: the user running them. */
export function localPrincipal(osUser: string): string {
  return `${LOCAL_PRINCIPAL}${osUser}`;
}

/** `AWS:AROAEXAMPLE:wlj-clerk` → the unique id and the session name. */
function parsePrincipal(principalId: string): { id: string; session?: string } {
  const bare = principalId.replace(/^AWS:/, '');
  const colon = bare.indexOf(':');
  return colon < 0 ? { id: bare } : { id: bare.slice(0, colon), session: bare.slice(colon + 1) || undefined };
}

export function identifyUploader(
  event: { readonly principalId?: string; readonly declared?: string },
  trust: UploadTrust,
): UploadIdentity {
  const principal = event.principalId?.trim() || null;
  const declared = event.declared?.trim() || null;
  const vouched = (actor: string, identifiedBy: IdentifiedBy): UploadIdentity => ({
    actor,
    identifiedBy,
    principal,
    declaredUploader: null,
  });
  const authenticated = (actor: string, identifiedBy: IdentifiedBy): UploadIdentity => ({
    actor,
    identifiedBy,
    principal,
    declaredUploader: declared !== null && declared !== actor ? declared : null,
  });

  if (principal === null) return authenticated('unknown', 'unknown');
  if (principal.startsWith(LOCAL_PRINCIPAL)) {
    return trust.local
      ? vouched(declared ?? principal.slice(LOCAL_PRINCIPAL.length), 'local')
      : authenticated(principal, 'principal');
  }
  const { id, session } = parsePrincipal(principal);
  if (trust.uploaderSetters.includes(id)) {
    return declared ? vouched(declared, 'portal') : authenticated(principal, 'principal');
  }
  const departmentRole = Object.values(trust.departmentRoles).includes(id);
  if (departmentRole && session) return authenticated(session, 'role-session');
  return authenticated(principal.replace(/^AWS:/, ''), 'principal');
}
