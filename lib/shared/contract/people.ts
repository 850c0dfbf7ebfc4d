/** People and workspace: users, teams, tokens, identities. */
import { z } from 'zod';
import { Id, NextCursor, PAGE_LIMITS, pageQuery, requiredText, Timestamp, text } from './base';

// ---------------------------------------------------------------------------------------------
// People and workspace

export const Role = z.enum(['admin', 'member']);
export const PersonRef = z.object({ id: Id, name: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;
export const TeamRef = z.object({ id: Id, name: z.string() });

export const Identities = z.object({
  githubLogin: z.string().nullable(),
  jiraName: z.string().nullable(),
  jiraAccountId: z.string().nullable(),
  asanaName: z.string().nullable(),
  /** The Asana user gid: matched by a connector from the name, or set by an admin. */
  asanaGid: z.string().nullable(),
});
export type Identities = z.infer<typeof Identities>;

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  role: Role,
  team: TeamRef.nullable(),
  identities: Identities,
});
export type User = z.infer<typeof User>;

export const Workspace = z.object({ id: Id, name: z.string(), slug: z.string() });
export const Me = z.object({ user: User, workspace: Workspace });
export type Me = z.infer<typeof Me>;

const identityText = text(200).trim().nullable();
export const IdentitiesPatch = z.strictObject({
  githubLogin: identityText.optional(),
  jiraName: identityText.optional(),
  jiraAccountId: identityText.optional(),
  asanaName: identityText.optional(),
  asanaGid: identityText.optional(),
});

export const TeamCreate = z.strictObject({ name: requiredText(200) });
export const Teams = z.object({ teams: z.array(TeamRef), nextCursor: NextCursor });
export const TeamFilters = z.strictObject(pageQuery(PAGE_LIMITS.teams, 200));

export const UserCreate = z.strictObject({
  name: requiredText(200),
  email: z.email({ error: 'must be an email address' }).max(320).nullable().optional(),
  role: Role.default('member'),
  teamId: Id.nullable().optional(),
  identities: IdentitiesPatch.optional(),
});
export const Users = z.object({ users: z.array(User), nextCursor: NextCursor });
export const UserFilters = z.strictObject(pageQuery(PAGE_LIMITS.users, 200));

export const Token = z.object({
  id: Id,
  name: z.string(),
  displayPrefix: z.string(),
  user: PersonRef,
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export const Tokens = z.object({ tokens: z.array(Token), nextCursor: NextCursor });
export const TokenFilters = z.strictObject(pageQuery(PAGE_LIMITS.tokens, 200));
export const TokenCreate = z.strictObject({
  name: requiredText(200),
  /** Admins may create a token for another user of the workspace; default: the caller. */
  userId: Id.optional(),
});
/** The secret appears in this response only; it is stored hashed. */
export const CreatedToken = Token.extend({ token: z.string() });
export const CreatedUser = z.object({ user: User, token: CreatedToken });
