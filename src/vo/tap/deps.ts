/**
 * What the TAP routes work with (the app's database, config and logger), and who is asking: the
 * bearer token decides the database role (src/vo/tap/session.ts). A token that is present but
 * wrong is a 401, as everywhere else in the archive: a client whose token stopped working must
 * be told, not silently shown less.
 */
import type express from 'express';
import { authenticate } from '../../auth/bearer.js';
import type { Viewer } from '../../auth/tokens.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Logger } from '../../log.js';
import type { SessionGate } from '../session-gate.js';
import type { TapViewer } from './session.js';

export interface TapDeps {
  database: Database;
  config: Config;
  logger: Logger;
  /** The process's bound on TAP and simple-service queries at once (shared with services/routes.ts). */
  gate?: SessionGate;
}

export interface TapCaller {
  kind: TapViewer;
  /** The token's holder; null for an anonymous caller. */
  viewer: Viewer | null;
}

export async function tapViewerOf(database: Database, req: express.Request): Promise<TapCaller> {
  const viewer = req.headers.authorization === undefined ? null : await authenticate(database, req.headers.authorization);
  return { kind: viewer ? 'token' : 'anonymous', viewer };
}
