/**
 * The GraphiQL explorer, bundled by scripts/build.mjs into public/build/graphiql/ and served by
 * the app at /graphiql: no CDN. GraphiQL 5 edits with Monaco, which runs language services in
 * web workers; we bundle those workers ourselves and tell Monaco where they are (instead of
 * graphiql's setup-workers helpers, which assume Vite/webpack or fetch from esm.sh).
 */
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

const WORKERS = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(new URL(WORKERS[label] ?? 'editor.worker.js', import.meta.url));
  },
};

/** POSTs to this app's /graphql, with whatever the headers pane holds (e.g. Authorization). */
async function fetcher(params, opts) {
  const res = await fetch(new URL('/graphql', window.location.href), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(opts?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return res.json();
}

const DEFAULT_QUERY = `# astroarchive: published releases are public; paste a token into Headers as
# {"Authorization": "Bearer aa_..."} to see drafts and run mutations.
query Releases {
  surveys {
    name
    releases { id name status fileCount }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} defaultHeaders={'{}'} />,
);
