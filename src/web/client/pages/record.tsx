import type { PageProps } from '../router';
import { usePageTitle } from '../components/ui';

export function RecordPage({ params }: PageProps) {
  usePageTitle(`Record ${params.id}`);
  return <h1 tabIndex={-1}>Record {params.id}</h1>;
}
