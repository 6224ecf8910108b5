import { RbacError, type Request, resourceRequest } from '../../kube/index.js';

/**
 * `VERB RESOURCE[/SUB]` into a request: a RESOURCE starting with `/` is a non-resource URL;
 * `deployments.apps` names the group as kubectl does (unless --api-group is given).
 */
export function parseWhoCanRequest(
  verb: string,
  resource: string,
  opts: { namespace?: string; name?: string; apiGroup?: string },
): Request {
  if (!verb || /\s/.test(verb)) throw new RbacError('INVALID_REQUEST', `verb "${verb}" is not valid`);
  if (resource.startsWith('/')) {
    if (opts.namespace || opts.name || opts.apiGroup !== undefined) {
      throw new RbacError(
        'INVALID_REQUEST',
        `${resource}: a non-resource URL takes no --namespace, --name or --api-group`,
      );
    }
    return { type: 'nonResource', verb, path: resource };
  }
  const [head = '', ...sub] = resource.split('/');
  if (!head || sub.length > 1 || sub[0] === '') {
    throw new RbacError(
      'INVALID_REQUEST',
      `resource "${resource}": expected RESOURCE, RESOURCE/SUBRESOURCE or /URL`,
    );
  }
  const dot = head.indexOf('.');
  const plain = opts.apiGroup === undefined && dot !== -1 ? head.slice(0, dot) : head;
  const apiGroup = opts.apiGroup ?? (dot !== -1 ? head.slice(dot + 1) : '');
  return resourceRequest(verb, sub.length ? `${plain}/${sub[0]}` : plain, {
    apiGroup,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.name ? { name: opts.name } : {}),
  });
}
