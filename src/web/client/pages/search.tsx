import type { PageProps } from '../router';
import { useQuery } from '../api';
import { Loading, ErrorNote, usePageTitle } from '../components/ui';

export function SearchPage(_props: PageProps) {
  usePageTitle('');
  const q = useQuery<{ surveys: Array<{ name: string }> }>('{ surveys { name } }', {});
  return (
    <>
      <h1 tabIndex={-1}>Search the archive</h1>
      {q.error ? <ErrorNote error={q.error} /> : !q.data ? <Loading what="surveys" /> : <p data-testid="surveys">Surveys: {q.data.surveys.map((s) => s.name).join(', ') || 'none yet'}</p>}
    </>
  );
}
