/** The database's side, live (admin): statements running now, blocked ones first and marked, and the top statements. */
import type { AdminData } from './queries';

function age(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${(s / 3600).toFixed(1)} h`;
}

export function DatabasePanel({ activity, top }: { activity: AdminData['databaseActivity']; top: AdminData['topStatements'] }) {
  const blocked = activity.filter((s) => s.blockedBy.length > 0).length;
  return (
    <section aria-labelledby="db-heading" class="dash-panel dash-panel-wide">
      <h2 id="db-heading">Database activity</h2>
      <p class="note" data-testid="db-summary">
        {activity.length === 0
          ? 'Nothing is running in the archive’s database right now.'
          : `${activity.length} statement${activity.length === 1 ? '' : 's'} running or waiting${blocked ? `, ${blocked} blocked` : ''}.`}{' '}
        Literals are shown as ?.
      </p>
      {activity.length > 0 && (
        <div class="table-wrap">
          <table class="db-activity">
            <thead>
              <tr>
                <th scope="col" class="num">pid</th>
                <th scope="col">state</th>
                <th scope="col" class="num">age</th>
                <th scope="col">waiting for</th>
                <th scope="col">blocked by</th>
                <th scope="col">application</th>
                <th scope="col">statement</th>
              </tr>
            </thead>
            <tbody>
              {activity.map((s) => (
                <tr key={s.pid} class={s.blockedBy.length ? 'blocked' : undefined}>
                  <td class="num">{s.pid}</td>
                  <td>{s.state}</td>
                  <td class="num">{age(s.ageSeconds)}</td>
                  <td>{s.waitEvent ? `${s.waitEventType ?? ''}: ${s.waitEvent}` : '—'}</td>
                  <td>{s.blockedBy.length ? <strong>blocked by {s.blockedBy.join(', ')}</strong> : '—'}</td>
                  <td>{s.applicationName ?? s.backendType ?? ''}</td>
                  <td>
                    <code class="sql">{s.query}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Top statements by total time</h3>
      {!top.available ? (
        <p class="note" data-testid="top-unavailable">
          {top.reason ?? 'pg_stat_statements is not available.'}
        </p>
      ) : top.statements.length === 0 ? (
        <p class="note">No statements recorded yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">total s</th>
                <th scope="col" class="num">calls</th>
                <th scope="col" class="num">mean ms</th>
                <th scope="col" class="num">rows</th>
                <th scope="col">statement</th>
              </tr>
            </thead>
            <tbody>
              {top.statements.map((s, i) => (
                <tr key={i}>
                  <td class="num">{s.totalSeconds.toFixed(2)}</td>
                  <td class="num">{s.calls.toLocaleString('en-US')}</td>
                  <td class="num">{s.meanMs.toFixed(2)}</td>
                  <td class="num">{s.rows.toLocaleString('en-US')}</td>
                  <td>
                    <code class="sql">{s.query}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
