import type { PageProps } from '../router';
import { usePageTitle } from '../components/ui';

export function ReleasePage({ params }: PageProps) {
  usePageTitle(`Release ${params.id}`);
  return <h1 tabIndex={-1}>Release {params.id}</h1>;
}
