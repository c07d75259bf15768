/** Processes and what their jobs do now, the profile capture button, and the captured profiles (admin). */
import { useState } from 'preact/hooks';
import { ApiError, gql } from '../api';
import { CAPTURE, type AdminData } from './queries';
import { formatUtc } from '../components/ui';

export function ProcessesPanel({ data, onCaptured }: { data: AdminData; onCaptured(): void }) {
  const [target, setTarget] = useState('');
  const [seconds, setSeconds] = useState(3);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; id?: string } | null>(null);
  const chosen = data.processes.some((p) => p.id === target) ? target : (data.processes[0]?.id ?? '');

  const capture = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setMessage({ kind: 'ok', text: `Sampling ${chosen} for ${seconds} s…` });
    try {
      const r = await gql<{ captureProfile: { id: string; status: string } }>(CAPTURE, { seconds, target: chosen });
      setMessage({ kind: 'ok', text: `Profile ${r.captureProfile.id} captured.`, id: r.captureProfile.id });
    } catch (err) {
      const code = err instanceof ApiError ? err.code : undefined;
      setMessage({ kind: 'error', text: code === 'PROFILE_PENDING' ? `${(err as Error).message}` : `Could not capture: ${(err as Error).message}` });
    } finally {
      setBusy(false);
      onCaptured();
    }
  };

  return (
    <section aria-labelledby="proc-heading" class="dash-panel">
      <h2 id="proc-heading">Processes</h2>
      {data.processes.length === 0 ? (
        <p class="note">No live process.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">process</th>
                <th scope="col">role</th>
                <th scope="col">jobs now</th>
              </tr>
            </thead>
            <tbody>
              {data.processes.map((p) => {
                const jobs = data.activity.filter((a) => a.processId === p.id);
                return (
                  <tr key={p.id}>
                    <td class="mono">{p.id}</td>
                    <td>{p.role}</td>
                    <td>
                      {jobs.length === 0
                        ? 'idle'
                        : jobs.map((j) => (
                            <div key={j.jobId} class="mono" data-testid="job-activity">
                              {j.task}
                              {j.runId ? ` run ${j.runId}` : ''}: {j.stage ?? '—'} {j.elapsedSeconds.toFixed(1)} s{j.currentFile ? ` ${j.currentFile}` : ''}
                            </div>
                          ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form class="capture" onSubmit={capture}>
        <label>
          Process to profile
          <select value={chosen} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)} disabled={busy || data.processes.length === 0}>
            {data.processes.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id} ({p.role})
              </option>
            ))}
          </select>
        </label>
        <label>
          Seconds
          <input type="number" min={1} max={30} value={seconds} onInput={(e) => setSeconds(Math.min(30, Math.max(1, Number((e.target as HTMLInputElement).value) || 1)))} disabled={busy} />
        </label>
        <button type="submit" disabled={busy || !chosen}>
          {busy ? 'Capturing…' : 'Capture CPU profile'}
        </button>
      </form>
      {message && (
        <p class={message.kind === 'error' ? 'error' : 'note'} role="status" data-testid="capture-status">
          {message.text} {message.id && <a href={`/profiles/${message.id}`}>Open the flame graph</a>}
        </p>
      )}
      <h3>Captured profiles</h3>
      {data.profiles.length === 0 ? (
        <p class="note">None yet.</p>
      ) : (
        <ul class="profile-list">
          {data.profiles.map((p) => (
            <li key={p.id}>
              {p.status === 'done' ? <a href={`/profiles/${p.id}`}>Profile {p.id}</a> : <span>Profile {p.id}</span>} — {p.kind} of{' '}
              <span class="mono">{p.processId}</span>, {p.seconds} s, {p.status === 'done' ? `${p.sampleCount.toLocaleString('en-US')} samples` : p.status}
              {p.error ? `: ${p.error}` : ''} <span class="note">({formatUtc(p.createdAt)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
