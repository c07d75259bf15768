/**
 * The API's port is taken before anything else starts: a port in use is then one clear line
 * at once, not an error after the embedded database was initialised and the worker had
 * started taking jobs (which then all had to be stopped again).
 */
import http from 'node:http';
import type { Config } from '../config.js';
import { CliError } from './io.js';

/** Listens on PORT/HOST; until `attach`, every request gets a 503 saying the archive is starting. */
export async function claimPort(config: Config): Promise<http.Server> {
  const server = http.createServer(starting);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(portError(err, config)));
    server.listen(config.port, config.host, resolve);
  });
  return server;
}

/** Hands the claimed port's requests to the app. */
export function attach(server: http.Server, app: http.RequestListener): void {
  server.removeListener('request', starting);
  server.on('request', app);
}

function starting(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ errors: [{ message: 'the archive is starting: try again in a moment' }] }));
}

function portError(err: NodeJS.ErrnoException, config: Config): Error {
  if (err.code === 'EADDRINUSE') return new CliError(`port ${config.port} on ${config.host} is in use: set PORT to another port (or stop what listens there)`);
  if (err.code === 'EACCES') return new CliError(`port ${config.port} on ${config.host} needs privileges this user lacks: set PORT to 1024 or above`);
  if (err.code === 'EADDRNOTAVAIL') return new CliError(`HOST ${config.host} is not an address of this machine: set HOST (default 127.0.0.1)`);
  return err;
}

/** Stops listening and drops open connections; nothing to do if it already stopped. */
export function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
