/**
 * The q3c side of `bench --find --vs-q3c`: a throw-away Debian PostgreSQL 15 cluster
 * (src/db/debian-cluster.ts) with the server's default settings, as the embedded one has.
 */
import fs from 'node:fs';
import { createPg15Cluster, pg15Unavailable, type Pg15Cluster } from '../../db/debian-cluster.js';

const Q3C_CONTROL = '/usr/share/postgresql/15/extension/q3c.control';

/** Why q3c on PostgreSQL 15 cannot run here, or null when it can. */
export function q3cUnavailable(): string | null {
  const noServer = pg15Unavailable();
  if (noServer) return noServer;
  if (!fs.existsSync(Q3C_CONTROL)) return `no q3c extension for PostgreSQL 15 (${Q3C_CONTROL}; Debian package postgresql-15-q3c)`;
  return null;
}

export function startPg15(): Promise<Pg15Cluster> {
  return createPg15Cluster({ name: 'astroarchive-find-pg15', settings: { max_connections: 50 } });
}
