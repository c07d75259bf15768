/**
 * Debian's nginx as the reference static file server, started by the bench as an ordinary
 * user: a generated config in a temporary prefix (pid, logs and temp paths there, `daemon
 * off`, so it is our child and dies with us), one worker process (our server is one Node
 * process serving HTTP on one thread: like for like), sendfile on, access log off, over the
 * same directory the archive serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const NGINX = '/usr/sbin/nginx';

export interface Nginx {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

export function nginxAvailable(binary = NGINX): boolean {
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A port free now (nginx cannot be told to pick one and report it). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Started by root, nginx's workers would run as nobody and could not read a private (0700)
 * bench directory: they run as the bench's user instead. Started by any other user, nginx's
 * workers run as that user already.
 */
function userLine(): string {
  const uid = process.getuid?.();
  if (uid !== 0) return '';
  return `user ${os.userInfo().username};\n`;
}

export async function startNginx(root: string, binary = NGINX): Promise<Nginx> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'astroarchive-nginx-'));
  const port = await freePort();
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(prefix, d));
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `daemon off;
${userLine()}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  types { application/fits fits; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { }
  }
}
`,
  );
  // -e: the error log before the config is read (the default, /var/log/nginx, is not ours).
  const child: ChildProcess = spawn(binary, ['-e', path.join(prefix, 'error.log'), '-p', prefix, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start (${child.exitCode}): ${stderr.trim() || fs.readFileSync(path.join(prefix, 'error.log'), 'utf8').trim()}`);
    try {
      await fetch(`${base}/`, { method: 'HEAD' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${base} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    base,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGQUIT'); // graceful: finish requests, then exit
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
