/**
 * /profiles/:id — a captured CPU (or heap) profile: its facts, speedscope's flame graph (zoom,
 * search, left-heavy, sandwich and time-order views; one subtree per thread) and the top
 * functions table. speedscope is its own offline build, framed from /speedscope/ (its page has
 * its own policy: src/http/profiles.ts). The profile JSON needs the admin token, which
 * speedscope's fetch cannot send: this page fetches it with the Bearer header and hands
 * speedscope a blob: URL of it (the same blob is the download link), so no token is put in a URL.
 */
import { useEffect, useState } from 'preact/hooks';
import { getToken } from '../auth';
import { useQuery } from '../api';
import type { PageProps } from '../router';
import { ErrorNote, Loading, formatCount, usePageTitle } from '../components/ui';
import '../dashboard.css';

interface ProfileData {
  profile: null | {
    id: string;
    processId: string;
    kind: 'CPU' | 'HEAP';
    seconds: number;
    sampleCount: number;
    status: string;
    createdAt: string;
    error: string | null;
    topFunctions: Array<{
      name: string;
      file: string | null;
      line: number | null;
      selfPercent: number;
      totalPercent: number | null;
    }>;
  };
}

const PROFILE = `query Profile($id: ID!) { profile(id: $id) {
  id processId kind seconds sampleCount status createdAt error
  topFunctions { name file line selfPercent totalPercent } } }`;

type ProfileBlob = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'error'; message: string };

/** The profile's JSON as a blob: URL (revoked when the page leaves), fetched with the token. */
function useProfileBlob(path: string | null): ProfileBlob {
  const [blob, setBlob] = useState<ProfileBlob>({ state: 'loading' });
  useEffect(() => {
    if (!path) return;
    const ctl = new AbortController();
    let url: string | null = null;
    setBlob({ state: 'loading' });
    const token = getToken();
    fetch(path, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: ctl.signal,
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? `HTTP ${res.status}`);
        url = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'application/json' }));
        setBlob({ state: 'ready', url });
      })
      .catch((err: Error) => !ctl.signal.aborted && setBlob({ state: 'error', message: err.message }));
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [path]);
  return blob;
}

/** Whether speedscope's build is served (it is a development dependency). */
function useViewerInstalled(): boolean | null {
  const [ok, setOk] = useState<boolean | null>(null);
  useEffect(() => {
    fetch('/speedscope/release.txt', { method: 'HEAD' }).then(
      (r) => setOk(r.ok),
      () => setOk(false),
    );
  }, []);
  return ok;
}

function percent(v: number | null): string {
  return v === null ? '' : v.toFixed(1);
}

/** How often a profile still being captured is asked for again. */
const PENDING_POLL_MS = 1000;

export function ProfilePage({ params }: PageProps) {
  const id = params.id;
  usePageTitle(`Profile ${id}`);
  const { data, error, loading, reload } = useQuery<ProfileData>(PROFILE, { id });
  const p = data?.profile;
  // A profile opened while it is still being captured (the dashboard lists it at once): ask
  // again until it is stored or has failed, so the flame graph appears without a reload.
  const pending = p?.status === 'requested' || p?.status === 'running';
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(reload, PENDING_POLL_MS);
    return () => clearInterval(t);
  }, [pending]);
  const ext = p?.kind === 'HEAP' ? 'heapprofile' : 'cpuprofile';
  const blob = useProfileBlob(p?.status === 'done' ? `/profiles/${p.id}.${ext}` : null);
  const installed = useViewerInstalled();

  const heading = (
    <h1 tabIndex={-1}>
      {p ? (p.kind === 'HEAP' ? 'Heap profile' : 'CPU profile') : 'Profile'} {id}
    </h1>
  );
  if (error) {
    const signIn = error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN';
    return (
      <>
        {heading}
        {signIn ? <p class="warning-note">Profiles are for administrators: sign in with an admin token to see this one.</p> : <ErrorNote error={error} />}
      </>
    );
  }
  if (!data)
    return (
      <>
        {heading}
        {loading && <Loading what="the profile" />}
      </>
    );
  if (!p)
    return (
      <>
        {heading}
        <p class="note">There is no profile {id}.</p>
      </>
    );

  const title = `astroarchive profile ${p.id}: ${p.processId}, ${p.seconds} s`;
  return (
    <>
      {heading}
      <dl class="facts">
        <dt>Process</dt>
        <dd class="mono">{p.processId}</dd>
        <dt>Captured</dt>
        <dd>
          {new Date(p.createdAt).toLocaleString()} for {p.seconds} s, {formatCount(p.sampleCount)} samples
        </dd>
        <dt>Status</dt>
        <dd>
          {p.status}
          {p.error ? `: ${p.error}` : ''}
        </dd>
        {blob.state === 'ready' && (
          <>
            <dt>Download</dt>
            <dd>
              <a href={blob.url} download={`astroarchive-${p.id}.${ext}`}>
                astroarchive-{p.id}.{ext}
              </a>{' '}
              <span class="note">(opens in speedscope, Chrome DevTools or VS Code)</span>
            </dd>
          </>
        )}
      </dl>

      <h2>Flame graph</h2>
      {p.status !== 'done' ? (
        <p class="note">The profile is {p.status}: the flame graph appears once it is stored.</p>
      ) : installed === false ? (
        <p class="warning-note">
          The flame graph viewer (speedscope, a development dependency) is not installed on this server: run <code>npm install</code> and{' '}
          <code>npm run build</code>. The download above opens in Chrome DevTools or VS Code.
        </p>
      ) : blob.state === 'error' ? (
        <ErrorNote error={new Error(blob.message)} />
      ) : blob.state === 'loading' || installed === null ? (
        <Loading what="the flame graph" />
      ) : (
        <>
          <p class="note">
            Ctrl+wheel or +/− to zoom, drag to pan, click a frame for its details, Ctrl+F to search. It opens left heavy (identical stacks merged,
            widest first); the tabs at the top left switch to time order or sandwich (a function with its callers and callees). Each thread is a
            subtree under the root.
          </p>
          <iframe
            class="flame-frame"
            title="Flame graph (speedscope)"
            src={`/speedscope/index.html#profileURL=${encodeURIComponent(blob.url)}&title=${encodeURIComponent(title)}&view=left-heavy`}
          />
        </>
      )}

      <h2>Top functions</h2>
      {p.topFunctions.length === 0 ? (
        <p class="note">No samples with work in them.</p>
      ) : (
        <>
          <p class="note">
            self: samples where the function itself was running; total: samples where it was anywhere on the stack. Percentages of busy samples (idle left out).
          </p>
          <div class="table-wrap">
            <table class="top-functions">
              <caption class="visually-hidden">Functions by share of samples</caption>
              <thead>
                <tr>
                  <th class="num" scope="col">
                    self %
                  </th>
                  <th class="num" scope="col">
                    total %
                  </th>
                  <th scope="col">function</th>
                  <th scope="col">location</th>
                </tr>
              </thead>
              <tbody>
                {p.topFunctions.map((f, i) => (
                  <tr key={i}>
                    <td class="num">{percent(f.selfPercent)}</td>
                    <td class="num">{percent(f.totalPercent)}</td>
                    <td class="mono">{f.name}</td>
                    <td class="mono">{f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
