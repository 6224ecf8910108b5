import { describe, expect, it } from 'vitest';
import { resourceRequest, ruleAllows } from './match.js';
import type { PolicyRule, Request } from './types.js';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({
  verbs: [],
  apiGroups: [],
  resources: [],
  resourceNames: [],
  nonResourceURLs: [],
  ...r,
});

// Scenarios after kubernetes pkg/apis/rbac/v1 evaluation_helpers and the rbac authorizer's
// rule-matching tests: the table is (rule, request, allowed).
describe('RBAC rule matching (upstream RuleAllows semantics)', () => {
  const pods = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
  it.each<[string, PolicyRule, Request, boolean]>([
    ['exact verb, core group, resource', pods, resourceRequest('get', 'pods'), true],
    ['another verb', pods, resourceRequest('list', 'pods'), false],
    [
      '* verb',
      rule({ verbs: ['*'], apiGroups: [''], resources: ['pods'] }),
      resourceRequest('delete', 'pods'),
      true,
    ],
    ['core rule, other group', pods, resourceRequest('get', 'pods', { apiGroup: 'apps' }), false],
    [
      '* group',
      rule({ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }),
      resourceRequest('get', 'deployments', { apiGroup: 'apps' }),
      true,
    ],
    [
      'named group',
      rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }),
      resourceRequest('get', 'deployments'),
      false,
    ],
    [
      '* resource',
      rule({ verbs: ['get'], apiGroups: [''], resources: ['*'] }),
      resourceRequest('get', 'secrets'),
      true,
    ],
    [
      '* resource covers subresources',
      rule({ verbs: ['create'], apiGroups: [''], resources: ['*'] }),
      resourceRequest('create', 'pods/exec'),
      true,
    ],
    [
      'resource does not cover its subresource',
      rule({ verbs: ['create'], apiGroups: [''], resources: ['pods'] }),
      resourceRequest('create', 'pods/exec'),
      false,
    ],
    [
      'exact subresource',
      rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }),
      resourceRequest('create', 'pods/exec'),
      true,
    ],
    [
      'subresource does not cover the resource',
      rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }),
      resourceRequest('get', 'pods'),
      false,
    ],
    [
      '*/scale matches any resource scale',
      rule({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }),
      resourceRequest('update', 'deployments/scale', { apiGroup: 'apps' }),
      true,
    ],
    [
      '*/scale does not match the resource',
      rule({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }),
      resourceRequest('update', 'deployments', { apiGroup: 'apps' }),
      false,
    ],
    [
      '*/scale does not match another subresource',
      rule({ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }),
      resourceRequest('update', 'deployments/status', { apiGroup: 'apps' }),
      false,
    ],
    [
      'pods/* is not a wildcard',
      rule({ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] }),
      resourceRequest('create', 'pods/exec'),
      false,
    ],
    [
      'resourceNames: listed name',
      rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }),
      resourceRequest('get', 'secrets', { name: 'a' }),
      true,
    ],
    [
      'resourceNames: other name',
      rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }),
      resourceRequest('get', 'secrets', { name: 'b' }),
      false,
    ],
    [
      'resourceNames: list (no name) is not allowed',
      rule({ verbs: ['list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }),
      resourceRequest('list', 'secrets'),
      false,
    ],
    [
      'no resourceNames: any name',
      rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }),
      resourceRequest('get', 'secrets', { name: 'x' }),
      true,
    ],
    [
      'non-resource URL exact',
      rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }),
      { type: 'nonResource', verb: 'get', path: '/healthz' },
      true,
    ],
    [
      'non-resource URL prefix *',
      rule({ verbs: ['get'], nonResourceURLs: ['/api/*'] }),
      { type: 'nonResource', verb: 'get', path: '/api/v1' },
      true,
    ],
    [
      'non-resource prefix * needs the slash',
      rule({ verbs: ['get'], nonResourceURLs: ['/api/*'] }),
      { type: 'nonResource', verb: 'get', path: '/api' },
      false,
    ],
    [
      'non-resource *',
      rule({ verbs: ['*'], nonResourceURLs: ['*'] }),
      { type: 'nonResource', verb: 'post', path: '/anything' },
      true,
    ],
    [
      'resource rule never matches a URL',
      rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }),
      { type: 'nonResource', verb: 'get', path: '/metrics' },
      false,
    ],
    [
      'URL rule never matches a resource',
      rule({ verbs: ['*'], nonResourceURLs: ['*'] }),
      resourceRequest('get', 'pods'),
      false,
    ],
    [
      'empty verbs allow nothing',
      rule({ apiGroups: ['*'], resources: ['*'] }),
      resourceRequest('get', 'pods'),
      false,
    ],
  ])('%s', (_name, r, req, allowed) => {
    expect(ruleAllows(r, req)).toBe(allowed);
  });
});
