/** Placeholder until this page is built: the path is served and routed already. */
import type { PageProps } from '../router';
import { usePageTitle } from '../components/ui';

export function ProfilePage(_props: PageProps) {
  usePageTitle('Profile');
  return (
    <>
      <h1 tabIndex={-1}>Profile</h1>
      <p class="note">This page is not built yet.</p>
    </>
  );
}
