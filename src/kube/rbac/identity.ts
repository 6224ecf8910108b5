import { RbacError } from './errors.js';
import type { Identity, Subject } from './types.js';

const SA_PREFIX = 'system:serviceaccount:';

/** The user name a service account authenticates as (`serviceaccount.MakeUsername`). */
export const serviceAccountUser = (namespace: string, name: string) => `${SA_PREFIX}${namespace}:${name}`;

/**
 * The identity a subject authenticates as, with the groups the authenticators add: a service
 * account is `system:serviceaccount:NS:NAME` in `system:serviceaccounts`,
 * `system:serviceaccounts:NS` and `system:authenticated`; `system:anonymous` is in
 * `system:unauthenticated`; any other user (and any member of a group) is `system:authenticated`.
 */
export function identityOf(subject: Subject): Identity {
  switch (subject.kind) {
    case 'ServiceAccount': {
      const ns = subject.namespace ?? 'default';
      return {
        user: serviceAccountUser(ns, subject.name),
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      };
    }
    case 'User': {
      if (subject.name === 'system:anonymous')
        return { user: subject.name, groups: ['system:unauthenticated'] };
      const sa = parseServiceAccountUser(subject.name);
      return sa ? identityOf(sa) : { user: subject.name, groups: ['system:authenticated'] };
    }
    case 'Group':
      return subject.name === 'system:unauthenticated' || subject.name === 'system:authenticated'
        ? { groups: [subject.name] }
        : { groups: [subject.name, 'system:authenticated'] };
  }
}

function parseServiceAccountUser(user: string): Subject | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const [namespace, name, ...rest] = user.slice(SA_PREFIX.length).split(':');
  return namespace && name && rest.length === 0 ? { kind: 'ServiceAccount', namespace, name } : undefined;
}

const SUBJECT_FORMS =
  'ServiceAccount:NAMESPACE:NAME, ServiceAccount:NAMESPACE/NAME, system:serviceaccount:NAMESPACE:NAME, User:NAME or Group:NAME';

/**
 * A subject as written on the command line, in kubectl's forms: `User:NAME`, `Group:NAME`
 * (names may contain colons), `ServiceAccount:NS:NAME` or `ServiceAccount:NS/NAME`, and the
 * user name a service account authenticates as, `system:serviceaccount:NS:NAME` (as
 * `kubectl auth can-i --as` takes it). `User:system:serviceaccount:NS:NAME` is that service
 * account too (see `identityOf`).
 */
export function parseSubjectArg(text: string): Subject {
  const sa = parseServiceAccountUser(text);
  if (sa) return sa;
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (colon > 0 && rest && (kind === 'User' || kind === 'Group')) return { kind, name: rest };
  if (colon > 0 && kind === 'ServiceAccount') {
    const [namespace, name, ...more] = rest.split(rest.includes('/') ? '/' : ':');
    if (namespace && name && more.length === 0 && !name.includes(':')) return { kind, namespace, name };
  }
  throw new RbacError('INVALID_SUBJECT', `subject "${text}": expected ${SUBJECT_FORMS}`);
}

export function formatSubject(s: Subject): string {
  return s.kind === 'ServiceAccount'
    ? `ServiceAccount:${s.namespace ?? ''}:${s.name}`
    : `${s.kind}:${s.name}`;
}
