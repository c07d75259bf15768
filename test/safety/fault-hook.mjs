// Test-only fault injection for a spawned worker process (`node --import <this file> ...`).
// Worker threads inherit the flag, so the analysis threads load it too. It wraps
// fs.openSync: for a file whose base name has a control file in AA_FAULTS_DIR, the open
// fails with EIO ("always", or a count of failures still to come), the way a flaky disk or
// network filesystem fails. Every open of a file under AA_FAULTS_WATCH is logged to
// AA_FAULTS_DIR/opens.log as a JSON line, so tests can count reads and see the backoff.
// A control file can name a directory too: its open fails (only files are logged).
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.AA_FAULTS_DIR;
const watch = process.env.AA_FAULTS_WATCH;
if (dir && watch) {
  const openSync = fs.openSync;
  fs.openSync = function faultyOpenSync(p, ...rest) {
    let file = String(p);
    // The analysis opens a file through its checked directory's descriptor (as /proc/self/fd/N
    // or /proc/<pid>/fd/N): name the file.
    const viaFd = /^\/proc\/(?:self|\d+)\/fd\/(\d+)\/(.*)$/.exec(file);
    if (viaFd) file = path.join(fs.readlinkSync(`/proc/self/fd/${viaFd[1]}`), viaFd[2]);
    if (file.startsWith(watch)) {
      const control = path.join(dir, path.basename(file));
      let eio = false;
      if (fs.existsSync(control)) {
        const mode = fs.readFileSync(control, 'utf8').trim();
        if (mode === 'always') eio = true;
        else if (Number(mode) > 0) {
          fs.writeFileSync(control, String(Number(mode) - 1));
          eio = true;
        }
      }
      // Directories (opened to be listed or checked) fail the same way, but only files count as reads.
      const isDir = typeof rest[0] === 'number' && (rest[0] & fs.constants.O_DIRECTORY) !== 0;
      if (!isDir) fs.appendFileSync(path.join(dir, 'opens.log'), JSON.stringify({ path: file, at: Date.now(), eio }) + '\n');
      if (eio) {
        const err = new Error(`EIO: i/o error, open '${file}'`);
        err.code = 'EIO';
        err.errno = -5;
        err.syscall = 'open';
        throw err;
      }
    }
    return openSync.call(this, p, ...rest);
  };
}
