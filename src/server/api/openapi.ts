import { toolVersion } from '../../core/index.js';

export interface RouteDoc {
  readonly method: string;
  readonly url: string;
  readonly summary: string;
  readonly scope?: string;
  readonly body?: object;
  readonly query?: object;
  readonly params?: object;
  readonly responses: Readonly<Record<string, { readonly description: string; readonly schema?: object }>>;
}

type Props = { properties?: Record<string, object>; required?: readonly string[] };

function parameters(where: 'query' | 'path', schema: object | undefined): object[] {
  const s = schema as Props | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, sch]) => ({
    name,
    in: where,
    required: where === 'path' || (s?.required ?? []).includes(name),
    schema: sch,
  }));
}

/** The OpenAPI 3 document, assembled from the same schemas the routes validate with. */
export function openApiDocument(routes: readonly RouteDoc[]): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const op = {
      summary: r.summary,
      ...(r.scope ? { security: [{ bearer: [] }], 'x-strata-scope': r.scope } : { security: [] }),
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([code, v]) => [
          code,
          {
            description: v.description,
            ...(v.schema ? { content: { 'application/json': { schema: v.schema } } } : {}),
          },
        ]),
      ),
    };
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Strata fleet API', version: toolVersion() },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
