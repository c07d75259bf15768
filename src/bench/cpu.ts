/**
 * CPU time of the bench process (all its threads) and of the PostgreSQL processes it started
 * (the embedded server's postmaster and backends, found as its descendants in /proc), so a run
 * can be judged by CPU per file on a busy machine, where its wall-clock figure is noise.
 * Linux only; elsewhere, or for an external server (not a descendant), postgres is null.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

export interface CpuSample {
  /** This process, user + system, ms. */
  processMs: number;
  /** Descendant postgres processes, user + system + their reaped children's, ms; null: not found. */
  postgresMs: number | null;
}

export function sampleCpu(): CpuSample {
  const own = process.cpuUsage();
  return { processMs: (own.user + own.system) / 1000, postgresMs: descendantPostgresMs(process.pid) };
}

export function cpuSince(before: CpuSample): CpuSample {
  const now = sampleCpu();
  return {
    processMs: now.processMs - before.processMs,
    postgresMs: now.postgresMs === null || before.postgresMs === null ? null : now.postgresMs - before.postgresMs,
  };
}

/**
 * One process's /proc/<pid>/stat: parent, command name and CPU in clock ticks (its own user +
 * system, and its reaped children's), or null once it is gone (or off Linux). The command name
 * may hold spaces and parentheses, so the fields are counted after its last ')'.
 */
export function procStat(pid: number | string): { ppid: number; comm: string; ownTicks: number; childTicks: number } | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  // Fields from state (3): ppid 4, utime 14, stime 15, cutime 16, cstime 17.
  return { ppid: Number(f[1]), comm: text.slice(text.indexOf('(') + 1, close), ownTicks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
}

/** Clock ticks per second (USER_HZ). */
export const TICKS_PER_SECOND = 1000 / TICK_MS;

function descendantPostgresMs(root: number): number | null {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const st = procStat(e);
    if (st) stats.set(Number(e), { ppid: st.ppid, comm: st.comm, ticks: st.ownTicks + st.childTicks }); // else gone since readdir
  }
  let ticks = 0;
  let found = false;
  for (const s of stats.values()) {
    if (s.comm !== 'postgres') continue;
    for (let p = s.ppid, hops = 0; p > 1 && hops < 16; p = stats.get(p)?.ppid ?? 0, hops++) {
      if (p === root) {
        ticks += s.ticks;
        found = true;
        break;
      }
    }
  }
  return found ? ticks * TICK_MS : null;
}
