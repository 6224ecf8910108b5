import { describe, expect, it } from 'vitest';
import { RbacError } from './errors.js';
import { formatSubject, identityOf, parseSubjectArg } from './identity.js';

describe('parseSubjectArg', () => {
  it.each([
    ['system:serviceaccount:ns:sa', { kind: 'ServiceAccount', namespace: 'ns', name: 'sa' }],
    ['ServiceAccount:ns/sa', { kind: 'ServiceAccount', namespace: 'ns', name: 'sa' }],
    ['ServiceAccount:ns:sa', { kind: 'ServiceAccount', namespace: 'ns', name: 'sa' }],
    ['User:alice', { kind: 'User', name: 'alice' }],
    ['User:system:kube-scheduler', { kind: 'User', name: 'system:kube-scheduler' }],
    ['Group:g', { kind: 'Group', name: 'g' }],
    ['Group:system:masters', { kind: 'Group', name: 'system:masters' }],
  ])('reads %s', (text, subject) => {
    expect(parseSubjectArg(text)).toEqual(subject);
  });

  it('gives the service-account user name the identity of the service account', () => {
    expect(identityOf(parseSubjectArg('system:serviceaccount:ns:sa'))).toEqual(
      identityOf(parseSubjectArg('ServiceAccount:ns/sa')),
    );
    expect(identityOf(parseSubjectArg('User:system:serviceaccount:ns:sa')).groups).toContain(
      'system:serviceaccounts:ns',
    );
  });

  it.each([
    'alice',
    'User:',
    'Role:x',
    'ServiceAccount:ns',
    'ServiceAccount:ns/',
    'ServiceAccount:/sa',
    'ServiceAccount:ns/sa/x',
    'ServiceAccount:ns:sa:x',
    'system:serviceaccount:ns',
    'system:serviceaccount:ns:sa:x',
  ])('refuses %s naming every accepted form', (text) => {
    expect(() => parseSubjectArg(text)).toThrow(RbacError);
    expect(() => parseSubjectArg(text)).toThrow(
      /system:serviceaccount:NAMESPACE:NAME, User:NAME or Group:NAME$/,
    );
  });

  it('formats a subject back into a form it reads', () => {
    for (const text of ['ServiceAccount:ns:sa', 'User:alice', 'Group:g'])
      expect(formatSubject(parseSubjectArg(text))).toBe(text);
  });
});
