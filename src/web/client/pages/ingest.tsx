/** Placeholder until this page is built: the path is served and routed already. */
import type { PageProps } from '../router';
import { usePageTitle } from '../components/ui';

export function IngestPage(_props: PageProps) {
  usePageTitle('Ingestion');
  return (
    <>
      <h1 tabIndex={-1}>Ingestion</h1>
      <p class="note">This page is not built yet.</p>
    </>
  );
}
