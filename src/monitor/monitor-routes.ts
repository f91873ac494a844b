// The monitoring GET routes for the HTTP edge: /metrics (Prometheus text) and /readyz.

import type { ServerResponse } from 'node:http';
import type { Monitor } from './monitor.ts';

type Route = (res: ServerResponse) => Promise<void>;

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
  res.end(body);
}

export function monitorRoutes(monitor: Monitor): Map<string, Route> {
  const routes = new Map<string, Route>();
  if (monitor.settings.metrics) {
    routes.set('/metrics', async (res) => {
      try {
        send(res, 200, monitor.metrics.contentType, await monitor.metrics.text());
      } catch (err) {
        monitor.log.error({ err }, 'metrics scrape failed');
        send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
      }
    });
  }
  routes.set('/readyz', async (res) => {
    const r = await monitor.readiness();
    send(res, r.ready ? 200 : 503, 'application/json', JSON.stringify({ status: r.ready ? 'ready' : 'unready', checks: r.checks }));
  });
  return routes;
}
