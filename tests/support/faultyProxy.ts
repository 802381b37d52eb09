import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A bad network between the app and the sync server, for tests: every request, by a seeded draw, passes, is
// dropped before the server sees it, reaches the server but loses its answer, is sent twice, waits (so answers
// come back out of order), or is answered 500 without reaching the server. Hooks let a test kill a device in
// the middle of its push, or the server in the middle of a request.

export type Fault = 'pass' | 'drop' | 'lose_response' | 'duplicate' | 'delay' | 'error_500';

export interface ProxyOptions {
  /** Where the server listens now (a restarted server may listen elsewhere). */
  target: () => { port: number } | null;
  /** Seeded random numbers in [0, 1). */
  random: () => number;
  /** Share of requests that get a fault (0 turns faults off). */
  faultRate: number;
}

export interface PushHook {
  /** The device whose next push triggers the hook. */
  deviceId: string;
  /** before: the request never reaches the server; after: the server applied it, the answer never arrives. */
  when: 'before' | 'after';
  action: () => void;
}

export interface FaultyProxy {
  url: string;
  faults: Record<Fault, number>;
  setFaultRate(rate: number): void;
  /** Runs once, on the next push of that device. */
  onNextPush(hook: PushHook | null): void;
  /** Runs once, when the proxy receives its next request (the server goes away under it). */
  onNextRequest(action: () => void): void;
  close(): Promise<void>;
}

const faultKinds: Fault[] = ['drop', 'lose_response', 'duplicate', 'delay', 'error_500'];

export async function startFaultyProxy(options: ProxyOptions): Promise<FaultyProxy> {
  let rate = options.faultRate;
  let pushHook: PushHook | null = null;
  let requestHook: (() => void) | null = null;
  const faults: Record<Fault, number> = { pass: 0, drop: 0, lose_response: 0, duplicate: 0, delay: 0, error_500: 0 };

  const forward = (method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const target = options.target();
      if (!target) return reject(new Error('server down'));
      const request = http.request({ host: '127.0.0.1', port: target.port, method, path, headers: { ...headers, host: `127.0.0.1:${target.port}` } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        if (requestHook) {
          const action = requestHook;
          requestHook = null;
          action();
        }
        const deviceId = req.url === '/v1/push' ? (JSON.parse(body.toString('utf8') || '{}') as { deviceId?: string }).deviceId : undefined;
        const hook = pushHook && deviceId === pushHook.deviceId ? pushHook : null;
        if (hook) pushHook = null;
        if (hook?.when === 'before') {
          hook.action();
          res.destroy();
          return;
        }
        const fault: Fault = !hook && options.random() < rate ? faultKinds[Math.floor(options.random() * faultKinds.length)]! : 'pass';
        faults[fault]++;
        if (fault === 'drop') return void res.destroy();
        if (fault === 'error_500') {
          res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal error</h1>');
          return;
        }
        if (fault === 'delay') await new Promise((resolve) => setTimeout(resolve, Math.floor(options.random() * 40)));
        try {
          const answer = await forward(req.method ?? 'GET', req.url ?? '/', req.headers, body);
          if (fault === 'duplicate') await forward(req.method ?? 'GET', req.url ?? '/', req.headers, body).catch(() => undefined);
          if (hook?.when === 'after') hook.action();
          if (fault === 'lose_response' || hook) return void res.destroy();
          const { 'transfer-encoding': _t, connection: _c, ...headers } = answer.headers;
          res.writeHead(answer.status, headers).end(answer.body);
        } catch {
          res.destroy();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    setFaultRate: (r) => (rate = r),
    onNextPush: (hook) => (pushHook = hook),
    onNextRequest: (action) => (requestHook = action),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
