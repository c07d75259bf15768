/** The real HTTP app on an ephemeral loopback port, for tests that speak HTTP to it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createHttpApp, type HttpApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';

export interface ServedApp {
  http: HttpApp;
  server: Server;
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  close(): Promise<void>;
}

export async function serveApp(database: Database, config: Config): Promise<ServedApp> {
  const http = await createHttpApp({ database, config, logger: createLogger('silent') });
  // Served as `serve` serves it: through the listener (small-file downloads before Express).
  const server: Server = createServer(http.listener).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    http,
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      // fetch keeps connections alive; close them rather than wait out their idle timeout.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await http.stop();
    },
  };
}
