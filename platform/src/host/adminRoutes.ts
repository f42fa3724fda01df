import type { FunctionDefinition } from './functionIndex';
import type { HostState } from './host';
import { respondJson } from './httpServer';
import type { HttpRoutes } from './extension';

/** What the admin API reads from the host. */
export interface AdminView {
  readonly state: HostState;
  readonly hostId: string;
  readonly startedAt: Date;
  readonly functions: readonly FunctionDefinition[];
  readonly baseUrl: string;
}

/** `GET /admin/host/status` and `GET /admin/functions`, shaped like the real host's answers. */
export function registerAdminRoutes(routes: HttpRoutes, host: AdminView): void {
  routes.addPrefix('/admin/', (request, response, url) => {
    const path = url.pathname.toLowerCase().replace(/\/+$/, '');
    if (request.method !== 'GET') {
      respondJson(response, 405, { error: `Method ${request.method ?? ''} is not allowed on ${url.pathname}.` });
    } else if (path === '/admin/host/status') {
      respondJson(response, 200, {
        id: host.hostId,
        state: host.state,
        version: '4.1040.0-local',
        versionDetails: 'local platform',
        processUptime: Math.round(process.uptime() * 1000),
      });
    } else if (path === '/admin/functions') {
      respondJson(
        response,
        200,
        host.functions.map((fn) => describeFunction(fn, host.baseUrl)),
      );
    } else {
      respondJson(response, 404, { error: `No admin endpoint at ${url.pathname}.` });
    }
    return Promise.resolve();
  });
}

function describeFunction(fn: FunctionDefinition, baseUrl: string) {
  return {
    name: fn.name,
    script_file: fn.scriptFile,
    href: `${baseUrl}/admin/functions/${fn.name}`,
    invoke_url_template: fn.trigger.type.toLowerCase() === 'httptrigger' ? undefined : null,
    language: 'node',
    isDisabled: false,
    config: { bindings: [fn.trigger, ...fn.inputs, ...fn.outputs].map((b) => ({ name: b.key, ...b.options })) },
  };
}
