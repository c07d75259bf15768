/**
 * PostgreSQL's cancel request for what one connection runs now: a 16-byte message on a
 * connection of its own (protocol §55.2.9, "Canceling Requests in Progress"), sent before
 * any authentication, so it needs no pool slot and works while the pool is exhausted by the
 * very work being stopped. Fire and forget: if it cannot reach the server, the statement
 * simply runs to its end.
 *
 * A cancel reaches whatever the backend runs when it arrives; callers send it only while
 * their own statement is in flight (the client stays checked out until its callback), so the
 * window for hitting a later statement is the loopback round trip.
 */
import net from 'node:net';
import type pg from 'pg';

const CANCEL_REQUEST_CODE = 80877102; // 1234 << 16 | 5678

export function cancelBackend(client: pg.Client): void {
  const { processID, secretKey } = client as pg.Client & { processID: number | null; secretKey: number | null };
  if (processID == null || secretKey == null) return;
  const socket = client.host.startsWith('/') ? net.connect(`${client.host}/.s.PGSQL.${client.port}`) : net.connect(client.port, client.host);
  socket.on('error', () => {});
  socket.on('connect', () => {
    const message = Buffer.alloc(16);
    message.writeInt32BE(16, 0);
    message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
    message.writeInt32BE(processID, 8);
    message.writeInt32BE(secretKey, 12);
    socket.end(message);
  });
}
